package dev.mamori.retention.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.Roles;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.retention.HoldScope;
import dev.mamori.retention.LegalHold;
import dev.mamori.retention.LegalHoldService;
import dev.mamori.retention.NewHold;
import dev.mamori.retention.RetentionErrors;
import dev.mamori.retention.RetentionEvents;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;

/**
 * Legal holds: operators on any tenant (a legal request), a tenant's admins on their own; a hold an
 * operator placed is released by an operator only. Placing, releasing and reading are audited.
 */
@Component(service = {LegalHoldService.class, LegalHoldServiceImpl.class})
public class LegalHoldServiceImpl implements LegalHoldService {
    /** A record category's name, as the records capability accepts it. */
    private static final Pattern CATEGORY = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    /** An employee number (IAM-3), as the records capability accepts it. */
    private static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,63}");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final int LIST_LIMIT = 500;
    private final RetentionCore core;
    private final TenantService tenants;

    /** @param core store, events, clock @param tenants the tenants holds are placed on */
    @Activate
    public LegalHoldServiceImpl(@Reference RetentionCore core, @Reference TenantService tenants) {
        this.core = core;
        this.tenants = tenants;
    }

    @Override
    public LegalHold place(NewHold in) {
        Principal p = actor();
        if (in == null || in.scope() == null) {
            throw invalid("A hold names its scope: " + List.of(HoldScope.values()) + ".");
        }
        String tenant = tenantFor(p, in.tenant());
        String value = in.value() == null || in.value().isBlank() ? null : in.value().strip();
        switch (in.scope()) {
            case TENANT -> {
                if (value != null) {
                    throw invalid("A hold on the whole tenant has no value.");
                }
            }
            case CATEGORY -> {
                if (value == null || !CATEGORY.matcher(value).matches()) {
                    throw invalid("A category hold names the category: 1-40 of a-z, 0-9 and '-', starting with a letter.");
                }
            }
            case SUBJECT -> {
                if (value == null || !SUBJECT.matcher(value).matches()) {
                    throw invalid("A subject hold names the employee number: 1-64 of letters, digits, '.', '_', '/' and '-'.");
                }
            }
            default -> throw invalid("Unknown scope.");
        }
        String reason = reason(in.reason());
        Instant now = core.clock.instant();
        LegalHold h = new LegalHold(UUID.randomUUID().toString(), tenant, in.scope(), value, reason, p.id(), now, null, null, null);
        core.units.run(() -> {
            core.holds.insert(h, p.kind().name());
            core.events.publish(MamoriEvent.builder(RetentionEvents.HOLD_PLACED).tenant(tenant).target("legal-hold", h.id())
                    .detail("scope", h.scope()).detail("value", auditValue(h)).detail("reason", reason));
        });
        return h;
    }

    @Override
    public LegalHold release(String id, String reason) {
        Principal p = actor();
        String why = reason(reason);
        if (id == null || !ID.matcher(id).matches()) {
            throw noSuch();
        }
        return core.units.call(() -> {
            HoldStore.Placed placed = core.holds.find(id).orElseThrow(LegalHoldServiceImpl::noSuch);
            LegalHold h = placed.hold();
            if (p.kind() == PrincipalKind.USER) {
                if (!h.tenantId().equals(tenantFor(p, null))) {
                    throw noSuch();
                }
                if (!PrincipalKind.USER.name().equals(placed.placedByKind())) {
                    throw new MamoriException(RetentionErrors.FORBIDDEN, "An operator placed this hold (a legal request); an operator "
                            + "releases it.");
                }
            }
            Instant now = core.clock.instant();
            if (!h.inForce() || !core.holds.release(id, p.id(), now, why)) {
                throw new MamoriException(RetentionErrors.HOLD_RELEASED, "The hold was released already.");
            }
            core.events.publish(MamoriEvent.builder(RetentionEvents.HOLD_RELEASED).tenant(h.tenantId()).target("legal-hold", id)
                    .detail("scope", h.scope()).detail("value", auditValue(h)).detail("reason", why));
            return core.holds.find(id).orElseThrow().hold();
        });
    }

    @Override
    public List<LegalHold> list(String tenant, boolean released) {
        Principal p = actor();
        String scope = p.kind() == PrincipalKind.USER || (tenant != null && !tenant.isBlank()) ? tenantFor(p, tenant) : null;
        List<LegalHold> out = core.holds.list(scope, released, LIST_LIMIT);
        MamoriEvent.Builder e = MamoriEvent.builder(RetentionEvents.HOLDS_READ).detail("count", out.size());
        core.events.publish(scope == null ? e : e.tenant(scope));
        return out;
    }

    @Override
    public boolean held(String tenantId, String category, String subject) {
        ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SYSTEM);
        return holding(tenantId, category, subject).isPresent();
    }

    /** @return the first hold in force covering it (the platform's jobs name it in what they report) */
    Optional<String> holding(String tenantId, String category, String subject) {
        if (tenantId == null) {
            throw invalid("A tenant is required.");
        }
        return core.holds.holding(tenantId, category, subject);
    }

    private static Principal actor() {
        Principal p = ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.USER);
        if (p.kind() == PrincipalKind.USER && !p.hasRole(Roles.TENANT_ADMIN)) {
            throw new MamoriException(RetentionErrors.FORBIDDEN, "Legal holds are for operators and the tenant's admins.");
        }
        return p;
    }

    /** @return the tenant's id: a user's own (whatever else was named), or the one an operator named */
    private String tenantFor(Principal p, String named) {
        if (p.kind() == PrincipalKind.USER) {
            String own = ExecutionContext.require().tenantId().orElse(null);
            if (own == null || !own.equals(p.tenantId().orElse(null))) {
                throw new MamoriException(RetentionErrors.FORBIDDEN, "Legal holds are for the tenant's own admins.");
            }
            if (named != null && !named.isBlank() && tenants.find(named).map(Tenant::id).filter(own::equals).isEmpty()) {
                // another tenant's name is, for a tenant's admin, a tenant that does not exist
                throw invalid("No tenant '" + oneLine(named, 63) + "'.");
            }
            return own;
        }
        if (named == null || named.isBlank()) {
            throw invalid("Name the tenant (id or slug).");
        }
        Tenant t = tenants.find(named.strip()).filter(x -> x.state() != TenantState.PURGED).orElseThrow(() -> invalid("No tenant '"
                + oneLine(named, 63) + "'."));
        return t.id();
    }

    private static String reason(String reason) {
        String r = reason == null ? "" : oneLine(reason, 501).strip();
        if (r.isEmpty() || r.length() > 500) {
            throw invalid("A reason is one line of 1-500 characters (a case number, a request; no personal data).");
        }
        return r;
    }

    /** The audit log gets the category's name, never a person's employee number. */
    private static String auditValue(LegalHold h) {
        return h.scope() == HoldScope.CATEGORY ? h.value() : h.scope() == HoldScope.SUBJECT ? "a subject" : "the tenant";
    }

    /** @return the text on one line (controls, line and format characters as spaces), at most {@code max} characters */
    static String oneLine(String s, int max) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(max).forEach(cp -> {
            int type = Character.getType(cp);
            boolean control = Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.UNASSIGNED;
            b.appendCodePoint(control ? ' ' : cp);
        });
        return b.toString();
    }

    private static MamoriException invalid(String message) {
        return new MamoriException(RetentionErrors.INVALID_HOLD, message);
    }

    private static MamoriException noSuch() {
        return new MamoriException(RetentionErrors.NO_SUCH_HOLD, "No such legal hold.");
    }
}
