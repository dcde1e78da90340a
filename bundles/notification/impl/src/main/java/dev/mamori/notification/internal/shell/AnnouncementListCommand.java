package dev.mamori.notification.internal.shell;

import java.time.Clock;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.notification.Announcement;
import dev.mamori.notification.AnnouncementService;
import dev.mamori.shell.spi.Format;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:announcement-list */
@Service
@Command(scope = "mamori", name = "announcement-list", description = "Lists announcements, newest first: scheduled, sent (to how many "
        + "tenants) or cancelled.")
public class AnnouncementListCommand extends MamoriAction {
    @Reference
    AnnouncementService announcements;
    @Reference
    Clock clock;

    @Option(name = "--limit", description = "At most this many (default 50).")
    int limit = 50;
    @Option(name = "--no-format", description = "Plain output for scripts.")
    boolean noFormat;

    @Override
    protected void run() {
        ShellTable table = new ShellTable();
        table.column("Announcement");
        table.column("Kind");
        table.column("Title");
        table.column("Send at");
        table.column("State");
        table.column("Tenants");
        for (Announcement a : announcements.list(limit)) {
            String state = a.cancelledAt() != null ? "CANCELLED" : a.sentAt() != null ? "SENT" : "SCHEDULED";
            table.addRow().addContent(a.id(), a.kind(), a.title(), Format.time(a.sendAt(), clock), state, a.recipients());
        }
        table.print(System.out, !noFormat);
    }
}
