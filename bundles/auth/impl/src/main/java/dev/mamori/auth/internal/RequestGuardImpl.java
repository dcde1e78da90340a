package dev.mamori.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import dev.mamori.auth.internal.net.FloodLimit;

/** Client address behind trusted proxies, and the per-address flood limit (IAM-12, SEC-12). */
@Component(service = RequestGuard.class, configurationPid = AuthConfig.PID)
public class RequestGuardImpl implements RequestGuard {
    private final Clock clock;
    private volatile IpRanges trustedProxies;
    private volatile FloodLimit flood;

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
        // 'burst' requests at once, then 'requests_per_second', counted by when they arrived
        this.flood = new FloodLimit(config.flood_burst(), config.flood_requests_per_second(), 100_000);
    }

    @Override
    public String clientAddress(String remote, List<String> forwardedFor) {
        return ClientAddress.resolve(remote, forwardedFor == null ? List.of() : forwardedFor, trustedProxies).orElse(null);
    }

    @Override
    public void admit(String clientAddress) {
        admit(clientAddress, clock.instant());
    }

    @Override
    public void admit(String clientAddress, Instant arrivedAt) {
        Optional<Duration> wait = flood.admit(IpRanges.throttleKey(clientAddress), arrivedAt);
        if (wait.isPresent()) {
            Duration retry = Duration.ofSeconds(Math.max(1, wait.get().toSeconds() + 1));
            throw new AuthException(AuthErrors.TOO_MANY_ATTEMPTS, "Too many requests from this address; try again in "
                    + retry.toSeconds() + " s.", retry);
        }
    }
}
