package dev.mamori.records.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.Authorizer;
import dev.mamori.auth.UserService;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PlatformPurpose;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.records.Record;
import dev.mamori.records.RecordEvents;
import dev.mamori.records.TrashItem;
import dev.mamori.records.TrashService;

/**
 * The tenant's trash (RET-2): items its writers may restore, purges by its admins, each purge
 * deleting the rows (labels with them) and writing the purge ledger in the same unit of work as its
 * audit event.
 */
@Component(service = TrashService.class)
public class TrashServiceImpl implements TrashService {
    /** Most trash items listed at once. */
    static final int MAX_LISTED = 1000;
    /** Why the platform reaches a tenant's trash. */
    static final PlatformPurpose PURGE = PlatformPurpose.of("records.trash-purge", "purge the tenant's trash past its period");
    /** Records purged per statement group. */
    static final int BATCH = 500;
    private final RecordsCore core;
    private final Authorizer authorizer;
    private final UserService users;

    /**
     * @param core       store, events
     * @param authorizer scoped permissions
     * @param users      accounts
     */
    @Activate
    public TrashServiceImpl(@Reference RecordsCore core, @Reference Authorizer authorizer, @Reference UserService users) {
        this.core = core;
        this.authorizer = authorizer;
        this.users = users;
    }

    private Access access() {
        return Access.of(authorizer, users, core.tenants.requireTenantId());
    }

    @Override
    public List<TrashItem> list() {
        Access a = access();
        return core.units.call(() -> {
            List<TrashItem> out = new ArrayList<>();
            for (RecordStore.Row r : core.store.trash(a.tenantId(), MAX_LISTED)) {
                if (a.isAdmin() || a.granted(Access.WRITE, r.category(), r.scope())) {
                    out.add(item(r));
                }
            }
            return out;
        });
    }

    @Override
    public Record restore(String recordId) {
        Access a = access();
        return core.units.call(() -> {
            RecordStore.Row r = trashed(a, recordId);
            if (!a.isAdmin()) {
                a.requireWrite(r.category(), r.scope());
            }
            core.store.restore(a.tenantId(), recordId);
            core.events.publish(MamoriEvent.builder(RecordEvents.RESTORED).target("record", recordId)
                    .detail("category", r.category()).detail("version", Long.toString(r.version())));
            return RecordServiceImpl.view(r, null);
        });
    }

    @Override
    public void purge(String recordId) {
        Access a = access();
        a.requireAdmin("Purging the trash");
        core.units.run(() -> {
            trashed(a, recordId);
            purge(core, a.tenantId(), List.of(recordId), "manual", a.actorId());
        });
    }

    @Override
    public int purgeAll() {
        Access a = access();
        a.requireAdmin("Purging the trash");
        int total = 0;
        while (true) {
            int n = core.units.call(() -> purge(core, a.tenantId(), core.store.trashedIds(a.tenantId(), BATCH), "manual", a.actorId()));
            total += n;
            if (n < BATCH) {
                return total;
            }
        }
    }

    @Override
    public int purgeExpired(String tenantIdOrSlug) {
        ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SYSTEM);
        return core.tenants.callAsPlatform(tenantIdOrSlug, PURGE, () -> purgeDue(core));
    }

    /** Purges, in batches, what is due in the bound tenant. @return how many */
    static int purgeDue(RecordsCore core) {
        String tenant = core.tenants.requireTenantId();
        int total = 0;
        while (true) {
            int n = core.units.call(() -> purge(core, tenant, core.store.due(tenant, core.clock.instant(), BATCH), "expired", null));
            total += n;
            if (n < BATCH) {
                return total;
            }
        }
    }

    /**
     * Purges trashed records in the caller's unit: rows, labels, the ledger and one audit event per
     * category (ids are in the ledger, never contents anywhere).
     *
     * @return how many were purged
     */
    static int purge(RecordsCore core, String tenantId, List<String> ids, String reason, String actor) {
        if (ids.isEmpty()) {
            return 0;
        }
        Instant now = core.clock.instant();
        List<String> categories = core.store.purge(tenantId, ids, reason, actor, now);
        Map<String, Integer> byCategory = new TreeMap<>();
        categories.forEach(c -> byCategory.merge(c, 1, Integer::sum));
        byCategory.forEach((category, n) -> core.events.publish(MamoriEvent.builder(RecordEvents.PURGED)
                .target("record-category", category).detail("category", category).detail("count", Integer.toString(n))
                .detail("reason", reason)));
        return categories.size();
    }

    private RecordStore.Row trashed(Access a, String recordId) {
        if (!Fields.isId(recordId)) {
            throw RecordServiceImpl.noRecord(recordId);
        }
        return core.store.row(a.tenantId(), recordId, true).filter(RecordStore.Row::trashed)
                .filter(r -> a.isAdmin() || a.granted(Access.WRITE, r.category(), r.scope()))
                .orElseThrow(() -> RecordServiceImpl.noRecord(recordId));
    }

    static TrashItem item(RecordStore.Row r) {
        return new TrashItem(r.id(), r.category(), r.subject(), r.version(), r.deletedAt(), r.deletedBy(), r.purgeAfter());
    }
}
