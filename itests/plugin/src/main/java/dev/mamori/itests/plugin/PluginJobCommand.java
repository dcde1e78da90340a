package dev.mamori.itests.plugin;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobRequest;
import dev.mamori.platform.job.JobService;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:it-plugin-job: submits the plugin's typed job, as whoever runs the command. */
@Service
@Command(scope = "mamori", name = "it-plugin-job", description = "Submits the test plugin's notes job (test plugin).")
public class PluginJobCommand extends MamoriAction {
    @Reference
    JobService jobs;

    @Option(name = "--tenant", description = "The tenant's id: its run stores an artifact.")
    String tenant;

    @Argument(index = 0, name = "label", required = true, description = "Each note's label.")
    String label;

    @Override
    protected void run() {
        JobInfo job = jobs.submit(JobRequest.of(PluginJob.TYPE, new PluginJob.Notes(label, 3)).tenant(tenant));
        System.out.println("Submitted job " + job.id());
    }
}
