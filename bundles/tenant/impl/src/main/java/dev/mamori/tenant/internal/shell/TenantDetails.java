package dev.mamori.tenant.internal.shell;

import java.time.Clock;

import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.shell.spi.Format;
import dev.mamori.tenant.Tenant;

/** One tenant and its contract record as a two-column table. */
final class TenantDetails {
    private TenantDetails() {
    }

    static void print(Tenant t, Clock clock) {
        ShellTable table = new ShellTable();
        table.column("Field");
        table.column("Value");
        table.addRow().addContent("id", t.id());
        table.addRow().addContent("slug", t.slug());
        table.addRow().addContent("name", t.displayName());
        table.addRow().addContent("state", t.state());
        table.addRow().addContent("plan", t.plan());
        table.addRow().addContent("region", t.region());
        table.addRow().addContent("trial ends", Format.date(t.trialEndsOn()));
        table.addRow().addContent("contract start", Format.date(t.contractStart()));
        table.addRow().addContent("contract end", Format.date(t.contractEnd()));
        table.addRow().addContent("terminated on", Format.date(t.terminationDate()));
        table.addRow().addContent("created", Format.time(t.createdAt(), clock));
        table.addRow().addContent("state since", Format.time(t.stateChangedAt(), clock));
        table.addRow().addContent("updated", Format.time(t.updatedAt(), clock));
        table.print(System.out);
    }
}
