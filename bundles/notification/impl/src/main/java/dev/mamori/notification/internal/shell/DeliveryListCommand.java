package dev.mamori.notification.internal.shell;

import java.time.Clock;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.notification.Delivery;
import dev.mamori.notification.NotificationService;
import dev.mamori.shell.spi.Format;
import dev.mamori.shell.spi.MamoriAction;
import dev.mamori.shell.spi.TenantCompleter;

/** mamori:delivery-list */
@Service
@Command(scope = "mamori", name = "delivery-list", description = "The delivery log, newest first: each recipient (an account id, "
        + "never an address) of each notification per channel, its state, attempts and the last answer (e.g. the SMTP reply).")
public class DeliveryListCommand extends MamoriAction {
    @Reference
    NotificationService notifications;
    @Reference
    Clock clock;

    @Option(name = "--tenant", description = "One tenant's deliveries (id or slug).")
    @Completion(TenantCompleter.class)
    String tenant;
    @Option(name = "--limit", description = "At most this many (default 50, up to 500).")
    int limit = 50;
    @Option(name = "--no-format", description = "Plain output for scripts.")
    boolean noFormat;

    @Override
    protected void run() {
        ShellTable table = new ShellTable();
        table.column("Queued");
        table.column("Template");
        table.column("Tenant");
        table.column("Recipient");
        table.column("Channel");
        table.column("State");
        table.column("Attempts");
        table.column("Answer");
        for (Delivery d : notifications.deliveries(tenant, limit)) {
            table.addRow().addContent(Format.time(d.queuedAt(), clock), d.template(), d.tenantId() == null ? "" : d.tenantId(),
                    d.recipient(), d.channel(), d.state(), d.attempts(), d.answer() == null ? "" : d.answer());
        }
        table.print(System.out, !noFormat);
    }
}
