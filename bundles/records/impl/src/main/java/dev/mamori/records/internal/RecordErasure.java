package dev.mamori.records.internal;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.spi.ErasureParticipant;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.records.Category;
import dev.mamori.records.ErasurePolicy;
import dev.mamori.records.RecordEvents;

/**
 * A person's erasure reaches their records (IAM-5), as each category says: {@link ErasurePolicy#DELETE}
 * moves the live ones to the trash (purged after the trash period), {@link ErasurePolicy#PSEUDONYMISE}
 * keeps them. Either way every record of the person — live or trashed — names them from then on by
 * the pseudonym {@code erased/<account id>} instead of the employee number, which the erasure clears.
 * Runs in the erasure's unit of work, one event per category touched.
 */
@Component(service = ErasureParticipant.class, property = ErasureParticipant.NAME + "=records")
public class RecordErasure implements ErasureParticipant {
    private final RecordsCore core;

    /** @param core store, events, clock */
    @Activate
    public RecordErasure(@Reference RecordsCore core) {
        this.core = core;
    }

    static String pseudonym(String accountId) {
        return "erased/" + accountId;
    }

    @Override
    public Map<String, Long> erase(String tenantId, String accountId, String employeeNumber) {
        Map<String, Long> effects = new TreeMap<>();
        if (employeeNumber == null) {
            return effects;
        }
        String tenant = core.tenants.requireTenantId();
        if (!tenant.equals(tenantId)) {
            throw new IllegalStateException("An erasure runs in its tenant's context.");
        }
        String actor = ExecutionContext.require().principal().map(Principal::id).orElse("erasure");
        Instant now = core.clock.instant();
        Instant purgeAfter = now.plus(core.trashPeriod());
        for (Category k : core.categories.list(tenant)) {
            long trashed = k.onErasure() == ErasurePolicy.DELETE
                    ? core.store.trashSubject(tenant, k.name(), employeeNumber, now, actor, purgeAfter) : 0;
            long renamed = core.store.renameSubject(tenant, k.name(), employeeNumber, pseudonym(accountId));
            // what a DELETE category already had in the trash is renamed too, and goes with the trash
            long kept = k.onErasure() == ErasurePolicy.PSEUDONYMISE ? renamed : 0;
            if (renamed == 0) {
                continue;
            }
            effects.merge("trashed", trashed, Long::sum);
            effects.merge("pseudonymised", kept, Long::sum);
            core.events.publish(MamoriEvent.builder(RecordEvents.SUBJECT_ERASED).target("account", accountId)
                    .detail("category", k.name()).detail("trashed", Long.toString(trashed)).detail("pseudonymised", Long.toString(kept)));
        }
        return effects;
    }
}
