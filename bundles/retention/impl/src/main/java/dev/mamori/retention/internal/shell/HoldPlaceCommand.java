package dev.mamori.retention.internal.shell;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.platform.error.MamoriException;
import dev.mamori.retention.HoldScope;
import dev.mamori.retention.LegalHold;
import dev.mamori.retention.LegalHoldService;
import dev.mamori.retention.NewHold;
import dev.mamori.retention.RetentionErrors;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:hold-place */
@Service
@Command(scope = "mamori", name = "hold-place", description = "Places a legal hold (a legal request): nothing it covers is deleted, "
        + "moved to the trash or purged until an operator releases it.")
public class HoldPlaceCommand extends MamoriAction {
    @Reference
    LegalHoldService holds;

    @Option(name = "--tenant", required = true, description = "The tenant (id or slug).")
    String tenant;
    @Option(name = "--scope", description = "TENANT (default), CATEGORY or SUBJECT.")
    String scope = "TENANT";
    @Option(name = "--value", description = "The category's name (CATEGORY) or the employee number (SUBJECT).")
    String value;
    @Option(name = "--reason", required = true, description = "Why: a case number or request, one line, no personal data.")
    String reason;

    @Override
    protected void run() {
        HoldScope s;
        try {
            s = HoldScope.valueOf(scope.strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MamoriException(RetentionErrors.INVALID_HOLD, "--scope: TENANT, CATEGORY or SUBJECT.");
        }
        LegalHold h = holds.place(new NewHold(tenant, s, value, reason));
        System.out.println("Legal hold " + h.id() + " placed on " + h.scope() + (h.value() == null ? "" : " " + h.value())
                + " of tenant " + h.tenantId() + ".");
    }
}
