package dev.mamori.records.internal.shell;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.records.CategoryCount;
import dev.mamori.records.RecordService;
import dev.mamori.shell.spi.MamoriAction;
import dev.mamori.shell.spi.TenantCompleter;

/** mamori:record-count */
@Service
@Command(scope = "mamori", name = "record-count", description = "Counts a tenant's records per category, live and in the trash: "
        + "metadata only, never contents (OPS-1, OPS-2).")
public class RecordCountCommand extends MamoriAction {
    @Reference
    RecordService records;

    @Argument(index = 0, name = "tenant", required = true, description = "Tenant slug or id.")
    @Completion(TenantCompleter.class)
    String tenant;

    @Override
    protected void run() {
        ShellTable table = new ShellTable();
        table.column("Category");
        table.column("Live").alignRight();
        table.column("Trash").alignRight();
        long live = 0;
        long trash = 0;
        for (CategoryCount c : records.count(tenant)) {
            table.addRow().addContent(c.category(), c.live(), c.trashed());
            live += c.live();
            trash += c.trashed();
        }
        table.addRow().addContent("(all)", live, trash);
        table.print(System.out);
    }
}
