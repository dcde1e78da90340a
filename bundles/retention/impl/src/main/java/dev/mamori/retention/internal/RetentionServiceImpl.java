package dev.mamori.retention.internal;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.Roles;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.retention.CalendarAction;
import dev.mamori.retention.PlannedAction;
import dev.mamori.retention.RetentionErrors;
import dev.mamori.retention.RetentionEvents;
import dev.mamori.retention.RetentionPlan;
import dev.mamori.retention.RetentionService;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;

/**
 * The dry run of the tenant calendar. The calendar job acts on exactly what {@link #actions} lists
 * for today, so a plan is what the job then does (held actions excepted, which it leaves).
 */
@Component(service = {RetentionService.class, RetentionServiceImpl.class})
public class RetentionServiceImpl implements RetentionService {
    private static final int MAX_YEARS = 10;
    private static final Comparator<PlannedAction> ORDER = Comparator.comparing(PlannedAction::due)
            .thenComparing(PlannedAction::slug).thenComparing(PlannedAction::action);
    private final RetentionCore core;
    private final TenantService tenants;
    private final LegalHoldServiceImpl holds;

    /** @param core clock, events @param tenants the tenants @param holds what stops an action */
    @Activate
    public RetentionServiceImpl(@Reference RetentionCore core, @Reference TenantService tenants, @Reference LegalHoldServiceImpl holds) {
        this.core = core;
        this.tenants = tenants;
        this.holds = holds;
    }

    @Override
    public RetentionPlan plan(LocalDate at) {
        ExecutionContext ctx = ExecutionContext.require();
        Principal p = ctx.requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SYSTEM, PrincipalKind.USER);
        LocalDate today = today();
        LocalDate day = at == null ? today : at;
        if (day.isBefore(today) || day.isAfter(today.plusYears(MAX_YEARS))) {
            throw new MamoriException(RetentionErrors.INVALID_PLAN, "A day from today (" + today + ") to " + MAX_YEARS
                    + " years ahead, as yyyy-MM-dd.");
        }
        List<Tenant> scope;
        String own = null;
        if (p.kind() == PrincipalKind.USER) {
            own = ctx.tenantId().orElse(null);
            if (own == null || !own.equals(p.tenantId().orElse(null)) || !p.hasRole(Roles.TENANT_ADMIN)) {
                throw new MamoriException(RetentionErrors.FORBIDDEN, "The retention plan is for operators and the tenant's admins.");
            }
            scope = tenants.find(own).stream().toList();
        } else {
            scope = tenants.list();
        }
        List<PlannedAction> actions = new ArrayList<>();
        for (Tenant t : scope) {
            actions.addAll(actions(t, day));
        }
        actions.sort(ORDER);
        MamoriEvent.Builder e = MamoriEvent.builder(RetentionEvents.PLAN_READ).detail("at", day).detail("actions", actions.size());
        core.events.publish(own == null ? e : e.tenant(own));
        return new RetentionPlan(day, actions);
    }

    /** @return what the calendar does to this tenant by the end of {@code day}, each with the hold that stops it */
    List<PlannedAction> actions(Tenant t, LocalDate day) {
        List<PlannedAction> out = new ArrayList<>();
        for (TenantCalendar.Due d : TenantCalendar.due(t, core.trialDeleteDays(), core.clock.getZone())) {
            if (d.from().isAfter(day)) {
                continue;
            }
            // expiry deletes nothing, so no hold stops it; a deletion is stopped by a hold on the whole tenant
            String heldBy = d.action() == CalendarAction.DELETE ? holds.holding(t.id(), null, null).orElse(null) : null;
            out.add(new PlannedAction(t.id(), t.slug(), d.action(), d.from(), d.rule(), heldBy));
        }
        return out;
    }

    LocalDate today() {
        return LocalDate.now(core.clock);
    }
}
