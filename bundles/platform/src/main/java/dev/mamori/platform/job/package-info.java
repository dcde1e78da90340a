/**
 * Durable, checkpointed background jobs with one runner per job across nodes, and cron schedules
 * in the platform's zone: {@link dev.mamori.platform.job.JobService} and the
 * {@link dev.mamori.platform.job.JobHandler} whiteboard.
 */
@Export
@Version("2.1.0")
package dev.mamori.platform.job;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
