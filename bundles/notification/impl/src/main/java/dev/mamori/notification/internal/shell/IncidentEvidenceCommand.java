package dev.mamori.notification.internal.shell;

import java.time.Clock;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.notification.EvidencePack;
import dev.mamori.notification.IncidentService;
import dev.mamori.shell.spi.Format;
import dev.mamori.shell.spi.MamoriAction;
import dev.mamori.shell.spi.TenantCompleter;

/** mamori:incident-evidence */
@Service
@Command(scope = "mamori", name = "incident-evidence", description = "An affected tenant's evidence pack for its regulator: what "
        + "happened, the affected data categories with its record counts, every notice and update sent to it and when each was "
        + "delivered, and the dates APPI expects its reports (the same as GET /api/v1/incidents/{id}/evidence).")
public class IncidentEvidenceCommand extends MamoriAction {
    @Reference
    IncidentService incidents;
    @Reference
    Clock clock;

    @Argument(index = 0, name = "id", required = true, description = "Incident id.")
    String id;
    @Argument(index = 1, name = "tenant", required = true, description = "An affected tenant (id or slug).")
    @Completion(TenantCompleter.class)
    String tenant;

    @Override
    protected void run() {
        EvidencePack e = incidents.evidence(id, tenant);
        System.out.println(e.title() + " [" + e.status() + "] for " + e.tenantName() + " (" + e.tenantId() + ")");
        System.out.println("Discovered " + Format.time(e.discoveredAt(), clock) + "; notice due " + Format.time(e.noticeDueAt(), clock)
                + ", " + (e.noticedAt() == null ? "not delivered yet" : "delivered " + Format.time(e.noticedAt(), clock)));
        System.out.println("APPI: preliminary report by " + Format.time(e.appiPreliminaryDue(), clock) + " (about 3-5 days), final by "
                + Format.time(e.appiFinalDue(), clock) + (e.unlawful() ? " (unlawful act: 60 days)" : " (30 days)"));
        e.categories().forEach(c -> System.out.println("Category " + c.category() + ": " + (c.records() < 0 ? "records not installed"
                : c.records() + " record(s)")));
        e.timeline().forEach(t -> System.out.println(Format.time(t.at(), clock) + "  " + t.what() + (t.detail().isEmpty() ? ""
                : "  " + t.detail())));
    }
}
