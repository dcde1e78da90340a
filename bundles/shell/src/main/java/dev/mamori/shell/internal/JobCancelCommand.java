package dev.mamori.shell.internal;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobService;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:job-cancel */
@Service
@Command(scope = "mamori", name = "job-cancel",
        description = "Cancels an open job; a step in flight ends first, no further step runs. A cancelled job is never resumed.")
public class JobCancelCommand extends MamoriAction {
    @Reference
    JobService jobs;

    @Argument(index = 0, name = "job", required = true, description = "Job id (mamori:job-list).")
    String job;

    @Override
    protected void run() {
        JobInfo j = jobs.cancel(job);
        System.out.println("Job " + j.id() + " (" + j.type() + ") is " + j.state() + " after " + j.done() + " unit(s) of work.");
    }
}
