package dev.mamori.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.RequestGuard;
import dev.mamori.auth.internal.net.ClientAddress;
import dev.mamori.auth.internal.net.IpRanges;
import dev.mamori.auth.internal.net.Throttle;

/** Client address behind trusted proxies, and the per-address flood limit (IAM-12, SEC-12). */
@Component(service = RequestGuard.class, configurationPid = AuthConfig.PID)
public class RequestGuardImpl implements RequestGuard {
    private final Clock clock;
    private volatile IpRanges trustedProxies;
    private volatile Throttle flood;

    /**
     * @param clock  the platform clock
     * @param config trusted proxies and limits
     */
    @Activate
    public RequestGuardImpl(@Reference Clock clock, AuthConfig config) {
        this.clock = clock;
        modified(config);
    }

    @Modified
    final void modified(AuthConfig config) {
        this.trustedProxies = IpRanges.fromConfig(config.trusted_proxies());
        // a bucket of 'burst' requests refilled at 'requests_per_second'
        long periodNanos = Math.max(1, (long) config.flood_burst() * 1_000_000_000L / config.flood_requests_per_second());
        this.flood = new Throttle(config.flood_burst(), Duration.ofNanos(periodNanos), 100_000, clock);
    }

    @Override
    public String clientAddress(String remote, List<String> forwardedFor) {
        return ClientAddress.resolve(remote, forwardedFor == null ? List.of() : forwardedFor, trustedProxies).orElse(null);
    }

    @Override
    public void admit(String clientAddress) {
        Optional<Duration> wait = flood.take(IpRanges.throttleKey(clientAddress));
        if (wait.isPresent()) {
            Duration retry = Duration.ofSeconds(Math.max(1, wait.get().toSeconds() + 1));
            throw new AuthException(AuthErrors.TOO_MANY_ATTEMPTS, "Too many requests from this address; try again in "
                    + retry.toSeconds() + " s.", retry);
        }
    }
}
