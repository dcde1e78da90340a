package dev.mamori.notification.internal.shell;

import java.time.Clock;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.notification.Incident;
import dev.mamori.notification.IncidentService;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:incident-notify */
@Service
@Command(scope = "mamori", name = "incident-notify", description = "Tells every affected tenant's admins, by e-mail and in-app: the "
        + "first time the incident's notice (NTF-1), after that a progress update (NTF-3), with its current summary, cause and "
        + "response and your message. mamori:delivery-list shows each message's delivery.")
public class IncidentNotifyCommand extends MamoriAction {
    @Reference
    IncidentService incidents;
    @Reference
    Clock clock;

    @Argument(index = 0, name = "id", required = true, description = "Incident id.")
    String id;
    @Option(name = "--message", required = true, description = "What you add (1-4,000 characters).")
    String message;

    @Override
    protected void run() {
        Incident i = incidents.notifyTenants(id, message);
        System.out.println((i.noticesSent() == 1 ? "Notice" : "Progress update") + " queued for " + i.tenants() + " tenant(s).");
        IncidentShowCommand.clocks(i, clock);
    }
}
