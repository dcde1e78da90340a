package dev.mamori.records.internal.shell;

import java.time.Duration;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobService;
import dev.mamori.platform.job.JobState;
import dev.mamori.records.ExportService;
import dev.mamori.records.RecordExport;
import dev.mamori.shell.spi.MamoriAction;
import dev.mamori.shell.spi.TenantCompleter;

/** mamori:export-create */
@Service
@Command(scope = "mamori", name = "export-create", description = "Starts a tenant's export (BAK-5, e.g. at a contract's end): "
        + "its records, attachments, categories, users (without personal data: operators never decrypt it) and audit log, as a ZIP "
        + "with a manifest of SHA-256 hashes that only the tenant's own admins can download (GET /api/v1/jobs/{id}/artifacts/"
        + "export.zip). With --wait, shows the job's progress until it ends.")
public class ExportCreateCommand extends MamoriAction {
    @Reference
    ExportService exports;

    @Reference
    JobService jobs;

    @Argument(index = 0, name = "tenant", required = true, description = "Tenant slug or id.")
    @Completion(TenantCompleter.class)
    String tenant;

    @Option(name = "--wait", description = "Show progress until the job ends (Ctrl-C stops watching, not the job).")
    boolean await;

    @Override
    protected void run() throws InterruptedException {
        RecordExport e = exports.startForTenant(tenant);
        System.out.println("Export started: job " + e.jobId() + ", artifact " + e.artifact() + " (personal data left out)");
        if (!await) {
            System.out.println("Progress: mamori:job-list, or GET /api/v1/jobs/" + e.jobId());
            return;
        }
        String last = "";
        while (true) {
            Optional<JobInfo> job = jobs.find(e.jobId());
            if (job.isEmpty()) {
                System.out.println("The job is gone.");
                return;
            }
            JobInfo j = job.get();
            String line = j.state() + " " + j.done() + j.totalWork().map(t -> "/" + t).orElse("") + (j.detail() == null ? ""
                    : " - " + j.detail());
            if (!line.equals(last)) {
                System.out.println(line);
                last = line;
            }
            if (j.state() == JobState.DONE || j.state() == JobState.FAILED || j.state() == JobState.CANCELLED) {
                if (j.result() != null) {
                    System.out.println(j.result());
                }
                return;
            }
            Thread.sleep(Duration.ofSeconds(1).toMillis());
        }
    }
}
