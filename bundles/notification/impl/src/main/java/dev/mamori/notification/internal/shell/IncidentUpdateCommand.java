package dev.mamori.notification.internal.shell;

import java.time.Clock;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.notification.Incident;
import dev.mamori.notification.IncidentChange;
import dev.mamori.notification.IncidentService;
import dev.mamori.notification.IncidentStatus;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:incident-update */
@Service
@Command(scope = "mamori", name = "incident-update", description = "Changes an incident: its status (CONFIRMED, RESOLVED ends the "
        + "progress updates, DISMISSED from SUSPECTED), summary, cause or response. --version is the version you read "
        + "(mamori:incident-show): a change made meanwhile by someone else is refused.")
public class IncidentUpdateCommand extends MamoriAction {
    @Reference
    IncidentService incidents;
    @Reference
    Clock clock;

    @Argument(index = 0, name = "id", required = true, description = "Incident id.")
    String id;
    @Option(name = "--version", required = true, description = "The version you read.")
    long version;
    @Option(name = "--status", description = "SUSPECTED, CONFIRMED, RESOLVED or DISMISSED.")
    String status;
    @Option(name = "--summary", description = "What happened.")
    String summary;
    @Option(name = "--cause", description = "The cause.")
    String cause;
    @Option(name = "--response", description = "The response so far.")
    String response;
    @Option(name = "--unlawful", description = "true or false.")
    String unlawful;
    @Option(name = "--outage-start", description = "When the service stopped for the affected tenants (ISO-8601 with an offset): "
            + "their availability counts the outage as down (OPS-5).")
    String outageStart;
    @Option(name = "--outage-end", description = "When it came back (ISO-8601 with an offset).")
    String outageEnd;

    @Override
    protected void run() {
        IncidentStatus s = null;
        if (status != null) {
            try {
                s = IncidentStatus.valueOf(status.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--status: SUSPECTED, CONFIRMED, RESOLVED or DISMISSED.");
            }
        }
        Boolean u = null;
        if (unlawful != null) {
            if (!unlawful.equals("true") && !unlawful.equals("false")) {
                throw new IllegalArgumentException("--unlawful: true or false.");
            }
            u = Boolean.valueOf(unlawful);
        }
        Incident i = incidents.update(id, version, new IncidentChange(s, summary, cause, response, u,
                outageStart == null ? null : IncidentOpenCommand.parse(outageStart, "--outage-start"),
                outageEnd == null ? null : IncidentOpenCommand.parse(outageEnd, "--outage-end")));
        System.out.println("Incident " + i.id() + " is " + i.status() + " (version " + i.version() + ").");
        IncidentShowCommand.clocks(i, clock);
    }
}
