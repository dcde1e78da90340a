package dev.mamori.shell.internal;

import java.time.Clock;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobService;
import dev.mamori.shell.spi.Format;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:job-list */
@Service
@Command(scope = "mamori", name = "job-list", description = "Lists background jobs, newest first, with their progress.")
public class JobListCommand extends MamoriAction {
    @Reference
    JobService jobs;
    @Reference
    Clock clock;

    @Option(name = "--type", description = "Only jobs of this type, e.g. vault.reencrypt.")
    String type;
    @Option(name = "--tenant", description = "Only jobs of this tenant (its id).")
    String tenant;
    @Option(name = "--limit", description = "At most this many (default 50).")
    int limit = 50;
    @Option(name = "--no-format", description = "Plain output for scripts.")
    boolean noFormat;

    @Override
    protected void run() {
        ShellTable table = new ShellTable();
        table.column("Job");
        table.column("Type");
        table.column("Tenant");
        table.column("State");
        table.column("Done");
        table.column("Total");
        table.column("Created");
        table.column("By");
        table.column("Detail");
        for (JobInfo j : jobs.list(type, tenant, limit)) {
            table.addRow().addContent(j.id(), j.type(), j.tenantId() == null ? "" : j.tenantId(), j.state(), j.done(),
                    j.total() == null ? "" : j.total(), Format.time(j.createdAt(), clock), j.requestedBy(),
                    j.detail() == null ? "" : j.detail());
        }
        table.print(System.out, !noFormat);
    }
}
