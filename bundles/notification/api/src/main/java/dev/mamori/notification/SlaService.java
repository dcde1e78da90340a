package dev.mamori.notification;

import java.time.YearMonth;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/** Availability per calendar month (OPS-5): measured by a probe every minute, announced maintenance left out. */
@ProviderType
public interface SlaService {
    /**
     * @param month    a month (the current one so far, or one that ended); null: the current one
     * @param tenantId operators: a tenant (id or slug), or null for the platform; a tenant's admins: ignored, their own
     * @return its availability
     */
    Availability report(YearMonth month, String tenantId);

    /** @param month a month, null for the current one @return operators: the platform's and every tenant's */
    List<Availability> all(YearMonth month);
}
