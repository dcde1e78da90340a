package dev.mamori.auth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthEvents;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.IpAllowListService;
import dev.mamori.auth.internal.net.IpRanges;
import dev.mamori.auth.internal.store.IpRangeEntity;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;

/**
 * Per-tenant IP allow-lists (IAM-12). Each node keeps a tenant's parsed list for a few seconds, so
 * that the check on every request costs no query; a change made on another node applies there
 * within {@link #CACHE_FOR}.
 */
@Component(service = IpAllowListService.class, configurationPid = AuthConfig.PID)
public class IpAllowListServiceImpl implements IpAllowListService {
    /** How long a node trusts its copy of a tenant's list. */
    static final Duration CACHE_FOR = Duration.ofSeconds(5);

    private record Cached(IpRanges ranges, Instant until) {
    }

    private final AuthStore store;
    private final EventPublisher events;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile IpRanges platform;

    /**
     * @param store  persistence
     * @param events where changes go
     * @param clock  the platform clock
     */
    @Activate
    public IpAllowListServiceImpl(@Reference AuthStore store, @Reference EventPublisher events, @Reference Clock clock,
            AuthConfig config) {
        this.store = store;
        this.events = events;
        this.clock = clock;
        modified(config);
    }

    @Modified
    final void modified(AuthConfig config) {
        this.platform = IpRanges.fromConfig(config.platform_allowlist());
    }

    @Override
    public boolean allowsPlatform(String clientIp) {
        IpRanges r = platform;
        return r.unrestricted() || clientIp != null && r.allows(clientIp);
    }

    @Override
    public List<String> list() {
        String tenantId = store.tenants().requireTenantId();
        Callers.requireTenantAdmin(tenantId);
        return load().canonical();
    }

    @Override
    public List<String> replace(List<String> ranges) {
        String tenantId = store.tenants().requireTenantId();
        Callers.requireTenantAdmin(tenantId);
        if (ranges == null) {
            throw new AuthException(AuthErrors.INVALID_IP_RANGE, "Give a list of ranges (an empty list lifts the restriction).");
        }
        IpRanges parsed = IpRanges.parse(ranges);
        String self = ExecutionContext.current().flatMap(ExecutionContext::clientIp).orElse(null);
        if (!parsed.unrestricted() && (self == null || !parsed.allows(self))) {
            throw new AuthException(AuthErrors.INVALID_IP_RANGE, "The list does not include your own address "
                    + (self == null ? "(unknown)" : self) + "; saving it would lock you out. Add it, or a range holding it.");
        }
        // one row per range: the same range written twice or differently (a single address with /32 or /128, an
        // IPv4-mapped IPv6 form) has one canonical form (IpRanges.parse) and is stored once
        List<String> canonical = new ArrayList<>(new java.util.LinkedHashSet<>(parsed.canonical()));
        store.tenant(em -> {
            em.createQuery("DELETE FROM AuthIpRange r").executeUpdate();
            int i = 0;
            for (String c : canonical) {
                IpRangeEntity e = new IpRangeEntity();
                e.id = UUID.randomUUID().toString();
                e.cidr = c;
                e.position = i++;
                em.persist(e);
            }
            events.publish(MamoriEvent.builder(AuthEvents.IP_ALLOWLIST_CHANGED).tenant(tenantId)
                    .detail("ranges", canonical.isEmpty() ? "unrestricted" : abbreviated(String.join(" ", canonical))));
            return null;
        });
        cache.remove(tenantId);
        return canonical;
    }

    @Override
    public boolean allows(String tenantId, String clientIp) {
        String bound = store.tenants().currentTenantId().orElse(null);
        if (tenantId == null || !Objects.equals(tenantId, bound)) {
            return false;
        }
        Instant now = clock.instant();
        Cached c = cache.get(tenantId);
        if (c == null || !now.isBefore(c.until())) {
            c = new Cached(load(), now.plus(CACHE_FOR));
            cache.put(tenantId, c);
        }
        return c.ranges().unrestricted() || clientIp != null && c.ranges().allows(clientIp);
    }

    private IpRanges load() {
        List<String> rows = store.tenant(em -> em.createQuery("SELECT r.cidr FROM AuthIpRange r ORDER BY r.position", String.class)
                .getResultList());
        return IpRanges.parse(new ArrayList<>(rows));
    }

    private static String abbreviated(String s) {
        return s.length() > 250 ? s.substring(0, 250) + "…" : s;
    }
}
