package dev.mamori.retention.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.retention.LegalHold;
import dev.mamori.retention.LegalHoldService;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:hold-release */
@Service
@Command(scope = "mamori", name = "hold-release", description = "Releases a legal hold, saying why; the rules apply again from their "
        + "next run.")
public class HoldReleaseCommand extends MamoriAction {
    @Reference
    LegalHoldService holds;

    @Option(name = "--reason", required = true, description = "Why it is released: one line.")
    String reason;
    @Argument(index = 0, name = "id", required = true, description = "The hold's id.")
    String id;

    @Override
    protected void run() {
        LegalHold h = holds.release(id, reason);
        System.out.println("Legal hold " + h.id() + " released.");
    }
}
