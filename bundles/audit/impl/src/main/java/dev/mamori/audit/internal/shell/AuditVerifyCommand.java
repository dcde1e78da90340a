package dev.mamori.audit.internal.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.audit.AuditVerification;

/** mamori:audit-verify */
@Service
@Command(scope = "mamori", name = "audit-verify", description = "Verifies every entry of the platform's audit log (or a tenant's, "
        + "with --tenant and --reason) against its leaf, its position, every signed checkpoint and the sinks' copies; prints OK "
        + "or the first bad position and the kind of damage.")
public class AuditVerifyCommand extends AuditLogAction {
    @Override
    protected void run() {
        AuditVerification v = audit.verify(log(), List.of(), reason);
        if (v.ok()) {
            System.out.println("OK " + v.log() + " entries=" + v.entries() + " checkpoints=" + v.checkpoints() + " size=" + v.size()
                    + " root=" + v.root());
        } else {
            System.out.println("DAMAGED " + v.log() + " at " + v.position() + ": " + v.damage() + " - " + v.message());
        }
    }
}
