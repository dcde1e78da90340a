package dev.mamori.audit.internal.shell;

import java.time.Clock;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.audit.AuditEntry;
import dev.mamori.audit.AuditPage;
import dev.mamori.audit.AuditQuery;
import dev.mamori.platform.event.MamoriEvent;

/** mamori:audit-tail */
@Service
@Command(scope = "mamori", name = "audit-tail", description = "Shows the newest entries of the platform's audit log (or a tenant's, "
        + "with --tenant and --reason): index, time (configured zone), action, outcome, actor, client address, target.")
public class AuditTailCommand extends AuditLogAction {
    @Option(name = "-n", description = "How many entries (1-1000, default 20).")
    int count = 20;

    @Option(name = "--action", description = "Only this action, or actions starting with it when it ends in '.' (auth.).")
    String action;

    @Reference
    Clock clock;

    @Override
    protected void run() {
        if (count < 1 || count > AuditQuery.MAX_LIMIT) {
            throw new IllegalArgumentException("-n is 1-" + AuditQuery.MAX_LIMIT);
        }
        // the newest n: page forward from the start, keeping the last n (logs are read in index order)
        java.util.ArrayDeque<AuditEntry> last = new java.util.ArrayDeque<>();
        long after = -1;
        do {
            AuditPage page = audit.search(new AuditQuery(log(), null, null, null, action, null, after, AuditQuery.MAX_LIMIT, reason));
            for (AuditEntry e : page.entries()) {
                last.addLast(e);
                if (last.size() > count) {
                    last.removeFirst();
                }
            }
            after = page.next();
        } while (after >= 0);
        ShellTable table = new ShellTable();
        table.column("Index");
        table.column("Time");
        table.column("Action");
        table.column("Outcome");
        table.column("Actor");
        table.column("Client");
        table.column("Target");
        for (AuditEntry e : last) {
            MamoriEvent ev = e.event();
            table.addRow().addContent(e.index(), ev.time(), ev.type(), ev.outcome(),
                    ev.principalKind().map(k -> k + ":" + ev.principalId().orElse("")).orElse(""), ev.clientIp().orElse(""),
                    ev.targetType().map(t -> t + ":" + ev.targetId().orElse("")).orElse(""));
        }
        table.print(System.out);
    }
}
