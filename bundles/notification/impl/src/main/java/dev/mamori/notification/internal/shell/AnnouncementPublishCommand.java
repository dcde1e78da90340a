package dev.mamori.notification.internal.shell;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.notification.Announcement;
import dev.mamori.notification.AnnouncementKind;
import dev.mamori.notification.AnnouncementService;
import dev.mamori.notification.NewAnnouncement;
import dev.mamori.shell.spi.Format;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:announcement-publish */
@Service
@Command(scope = "mamori", name = "announcement-publish", description = "Publishes an announcement to tenants' admins by e-mail and "
        + "in-app (NTF-4..6): a service change, a vulnerability, a policy change, or planned maintenance (announced at least "
        + "maintenance.notice.hours before its window, which is then left out of the availability figures, OPS-5). To all tenants, "
        + "named tenants or plans; now or at --send-at.")
public class AnnouncementPublishCommand extends MamoriAction {
    @Reference
    AnnouncementService announcements;
    @Reference
    Clock clock;

    @Option(name = "--kind", required = true, description = "SERVICE_CHANGE, VULNERABILITY, POLICY_CHANGE or MAINTENANCE.")
    String kind;
    @Option(name = "--title", required = true, description = "One line, 1-200 characters.")
    String title;
    @Option(name = "--body", required = true, description = "The text, 1-4,000 characters.")
    String body;
    @Option(name = "--all-tenants", description = "To every tenant.")
    boolean all;
    @Option(name = "--tenant", multiValued = true, description = "To this tenant (id or slug); repeat for several.")
    List<String> tenants;
    @Option(name = "--plan", multiValued = true, description = "To the tenants on this plan; repeat for several.")
    List<String> plans;
    @Option(name = "--send-at", description = "When it goes out, ISO-8601 with an offset (default: now).")
    String sendAt;
    @Option(name = "--window-start", description = "MAINTENANCE: the window's start (ISO-8601 with an offset).")
    String start;
    @Option(name = "--window-end", description = "MAINTENANCE: the window's end.")
    String end;

    @Override
    protected void run() {
        AnnouncementKind k;
        try {
            k = AnnouncementKind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--kind: " + List.of(AnnouncementKind.values()) + ".");
        }
        Announcement a = announcements.publish(new NewAnnouncement(k, title, body, all, tenants, plans,
                sendAt == null ? null : IncidentOpenCommand.parse(sendAt, "--send-at"),
                start == null ? null : IncidentOpenCommand.parse(start, "--window-start"),
                end == null ? null : IncidentOpenCommand.parse(end, "--window-end")));
        System.out.println("Announcement " + a.id() + (a.sentAt() != null ? " sent to " + a.recipients() + " tenant(s)."
                : " scheduled for " + Format.time(a.sendAt(), clock) + "."));
    }
}
