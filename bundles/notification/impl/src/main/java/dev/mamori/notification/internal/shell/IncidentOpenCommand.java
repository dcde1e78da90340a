package dev.mamori.notification.internal.shell;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.notification.Incident;
import dev.mamori.notification.IncidentService;
import dev.mamori.notification.IncidentStatus;
import dev.mamori.notification.NewIncident;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:incident-open */
@Service
@Command(scope = "mamori", name = "incident-open", description = "Records an incident (NTF-1..3): its clocks start at the time of "
        + "discovery - every affected tenant must be told within 72 hours (mamori:incident-notify), with a progress update every 24 "
        + "hours until it is resolved.")
public class IncidentOpenCommand extends MamoriAction {
    @Reference
    IncidentService incidents;
    @Reference
    Clock clock;

    @Option(name = "--title", required = true, description = "One line, 1-200 characters.")
    String title;
    @Option(name = "--summary", required = true, description = "What happened (NTF-2).")
    String summary;
    @Option(name = "--confirmed", description = "Confirmed (default: suspected).")
    boolean confirmed;
    @Option(name = "--discovered", description = "When it was discovered, ISO-8601 with an offset (default: now).")
    String discovered;
    @Option(name = "--tenant", multiValued = true, description = "An affected tenant (id or slug); repeat for several.")
    List<String> tenants;
    @Option(name = "--all-tenants", description = "Every tenant that exists now.")
    boolean all;
    @Option(name = "--cause", description = "The cause, when known.")
    String cause;
    @Option(name = "--response", description = "The first response, when known.")
    String response;
    @Option(name = "--unlawful", description = "An unlawful act (APPI's final report: 60 days).")
    boolean unlawful;
    @Option(name = "--category", multiValued = true, description = "An affected data category (a record category's name); repeat "
            + "for several. The evidence packs count the tenant's records in them.")
    List<String> categories;

    @Override
    protected void run() {
        Instant at = discovered == null ? clock.instant() : parse(discovered, "--discovered");
        Incident i = incidents.open(new NewIncident(title, confirmed ? IncidentStatus.CONFIRMED : IncidentStatus.SUSPECTED, at, tenants,
                all, summary, cause, response, unlawful, categories == null ? List.of() : categories));
        System.out.println("Incident " + i.id() + " opened (version " + i.version() + "), " + i.tenants() + " tenant(s) affected.");
        IncidentShowCommand.clocks(i, clock);
    }

    static Instant parse(String s, String option) {
        try {
            return OffsetDateTime.parse(s.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + ": ISO-8601 with an offset, e.g. 2026-12-07T10:00:00+09:00.");
        }
    }
}
