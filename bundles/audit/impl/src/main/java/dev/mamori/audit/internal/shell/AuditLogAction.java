package dev.mamori.audit.internal.shell;

import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

import dev.mamori.audit.AuditService;
import dev.mamori.shell.spi.MamoriAction;

/** What the audit commands share: the log (the platform's, or a tenant's with a recorded reason). */
abstract class AuditLogAction extends MamoriAction {
    @Reference
    AuditService audit;

    @Option(name = "--tenant", description = "A tenant's log (its id) instead of the platform's; needs --reason, which is "
            + "recorded in that tenant's own log.")
    String tenant;

    @Option(name = "--reason", description = "Why an operator reads a tenant's log (a ticket or legal reference).")
    String reason;

    /** @return the log asked for (null: the platform's, for an operator) */
    String log() {
        return tenant;
    }
}
