package dev.mamori.audit.internal;

import java.util.Objects;
import java.util.function.Predicate;

import dev.mamori.audit.AuditErrors;
import dev.mamori.audit.AuditEvents;
import dev.mamori.audit.AuditService;
import dev.mamori.auth.Roles;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;

/**
 * Who reaches which log (AUD-4, OPS-1..3), checked in the service: a tenant admin its own tenant's
 * log; an operator the platform's log, and a tenant's log only with a reason, recorded in that
 * tenant's own log (the recorded procedure); the platform itself every log; support, plugins and
 * ordinary users none. A log the caller may not see is "not found", whatever exists.
 */
final class AuditAccess {
    private final EventPublisher events;
    private final Predicate<String> exists;

    /**
     * @param events records an operator's read
     * @param exists whether a log has anything (an operator's read of a log that does not exist is not recorded)
     */
    AuditAccess(EventPublisher events, Predicate<String> exists) {
        this.events = events;
        this.exists = exists;
    }

    /**
     * @param requested a log id, or null for the caller's own
     * @param reason    an operator's reason for a tenant's log
     * @param what      what is read (recorded with an operator's read)
     * @return the log the caller reaches
     */
    String resolve(String requested, String reason, String what) {
        ExecutionContext ctx = ExecutionContext.current().orElse(null);
        Principal p = ctx == null ? null : ctx.principal().orElse(null);
        if (p == null) {
            throw new MamoriException(PlatformErrors.UNAUTHENTICATED, "The audit log needs a signed-in account.");
        }
        if (requested != null && !Entries.LOG_ID.matcher(requested).matches()) {
            throw new MamoriException(AuditErrors.NO_SUCH_LOG, "There is no such audit log.");
        }
        switch (p.kind()) {
            case USER: {
                String bound = ctx.tenantId().orElse(null);
                if (bound == null || !bound.equals(p.tenantId().orElse(null)) || !p.roles().contains(Roles.TENANT_ADMIN)) {
                    throw new MamoriException(PlatformErrors.FORBIDDEN, "Only the tenant's administrators read its audit log.");
                }
                if (requested != null && !requested.equals(bound)) {
                    throw new MamoriException(AuditErrors.NO_SUCH_LOG, "There is no such audit log.");
                }
                return bound;
            }
            case OPERATOR: {
                String log = requested == null ? AuditService.PLATFORM_LOG : requested;
                if (!AuditService.PLATFORM_LOG.equals(log)) {
                    if (!exists.test(log)) {
                        throw new MamoriException(AuditErrors.NO_SUCH_LOG, "There is no such audit log.");
                    }
                    recordOperatorRead(log, reason, what);
                }
                return log;
            }
            case SYSTEM:
                return Objects.requireNonNullElse(requested, ctx.tenantId().orElse(AuditService.PLATFORM_LOG));
            default:
                throw new MamoriException(PlatformErrors.FORBIDDEN, "Audit logs are read by operators and tenant administrators.");
        }
    }

    /** The recorded procedure: the entry is in the tenant's own log before anything is read (a read that cannot be recorded fails). */
    private void recordOperatorRead(String log, String reason, String what) {
        if (reason == null || reason.isBlank()) {
            throw new MamoriException(AuditErrors.REASON_REQUIRED, "An operator reads a tenant's audit log only with a reason "
                    + "(a ticket or legal reference), which is recorded in that tenant's log.");
        }
        try {
            events.publish(MamoriEvent.builder(AuditEvents.LOG_READ_BY_OPERATOR).tenant(log).target("audit-log", log).detail("what", what)
                    .detail("reason", reason.strip()));
        } catch (IllegalArgumentException e) {
            throw new MamoriException(PlatformErrors.INVALID, "A reason is 1-256 characters on one line, without control characters.");
        }
    }
}
