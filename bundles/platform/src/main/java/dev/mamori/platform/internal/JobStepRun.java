package dev.mamori.platform.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.event.PlatformEvents;
import dev.mamori.platform.job.ArtifactWriter;
import dev.mamori.platform.job.JobArtifact;
import dev.mamori.platform.job.JobArtifactStore;
import dev.mamori.platform.job.JobCancelledException;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobState;

/**
 * One step's view of its job: the decoded parameters and cursor, and the calls a long step makes
 * (cancel check, heartbeat, artifacts) on the runner's connection, which holds the job's row.
 */
final class JobStepRun<P, C> implements JobRun<P, C> {
    private static final Pattern ARTIFACT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final Connection c;
    private final JobStore.Row row;
    private final P parameters;
    private final C cursor;
    private final long doneBefore;
    private final Supplier<Clock> clock;
    private final Duration lease;
    private final Supplier<JobArtifactStore> artifacts;
    private final EventPublisher events;
    /** Why a heartbeat stopped the step, whatever the handler did with the exception: null, CANCELLED or LOST. */
    private volatile Stop stop;

    /** Why a heartbeat ended the step. */
    enum Stop {
        /** A cancel came: the job ends CANCELLED. */
        CANCELLED,
        /** Another node took the job over (this node's lease ran out): this node writes nothing more. */
        LOST
    }

    JobStepRun(Connection c, JobStore.Row row, P parameters, C cursor, Supplier<Clock> clock, Duration lease,
            Supplier<JobArtifactStore> artifacts, EventPublisher events) {
        this.c = c;
        this.row = row;
        this.parameters = parameters;
        this.cursor = cursor;
        this.doneBefore = row.done;
        this.clock = clock;
        this.lease = lease;
        this.artifacts = artifacts;
        this.events = events;
    }

    @Override
    public String id() {
        return row.id;
    }

    @Override
    public String type() {
        return row.type;
    }

    @Override
    public Optional<String> tenantId() {
        return Optional.ofNullable(row.tenantId);
    }

    @Override
    public P parameters() {
        return parameters;
    }

    @Override
    public Optional<C> cursor() {
        return Optional.ofNullable(cursor);
    }

    @Override
    public long done() {
        return doneBefore;
    }

    @Override
    public Optional<Long> total() {
        return Optional.ofNullable(row.total);
    }

    /** @return why a heartbeat stopped this step, if one did (the handler may have caught the exception) */
    Stop stop() {
        return stop;
    }

    @Override
    public boolean cancelRequested() {
        try {
            return JobStore.cancelRequested(c, row.id);
        } catch (SQLException e) {
            throw new JobTx.SqlFailure(e);
        }
    }

    @Override
    public void heartbeat(long doneSoFar, String detail) {
        if (doneSoFar < 0) {
            throw new IllegalArgumentException("doneSoFar < 0");
        }
        try {
            long now = clock.get().millis();
            row.done = doneBefore + doneSoFar;
            if (detail != null) {
                row.detail = JobTx.limit(detail);
            }
            row.leaseUntil = now + lease.toMillis();
            row.updatedAt = now;
            JobStore.update(c, row);
            // commit makes the progress visible and lets a waiting cancel take the row for a moment
            c.commit();
            JobStore.Row again = JobStore.load(c, row.id, true).orElse(null);
            if (again == null || !java.util.Objects.equals(again.owner, row.owner)) {
                stop = Stop.LOST;
                throw new JobCancelledException(row.id);
            }
            if (again.state != JobState.RUNNING || JobStore.cancelRequested(c, row.id)) {
                stop = Stop.CANCELLED;
                throw new JobCancelledException(row.id);
            }
        } catch (SQLException e) {
            throw new JobTx.SqlFailure(e);
        } finally {
            row.done = doneBefore;
        }
    }

    @Override
    public JobArtifact writeArtifact(String name, String mediaType, byte[] content) {
        JobArtifactStore store = artifactStore(name, mediaType);
        return written(store.write(row.id, row.tenantId, name, mediaType, content));
    }

    @Override
    public JobArtifact writeArtifact(String name, String mediaType, ArtifactWriter content) {
        JobArtifactStore store = artifactStore(name, mediaType);
        return written(store.write(row.id, row.tenantId, name, mediaType, java.util.Objects.requireNonNull(content, "content")));
    }

    private JobArtifactStore artifactStore(String name, String mediaType) {
        if (row.tenantId == null) {
            throw new MamoriException(PlatformErrors.INVALID, "Only a tenant's job stores artifacts: they are encrypted under "
                    + "the tenant's vault key.");
        }
        if (name == null || !ARTIFACT_NAME.matcher(name).matches()) {
            throw new MamoriException(PlatformErrors.INVALID, "An artifact name is 1-100 letters, digits and ._- (not starting "
                    + "with . or -).");
        }
        if (mediaType == null || mediaType.isBlank() || mediaType.length() > 100 || !mediaType.matches("[a-z0-9.+-]+/[a-z0-9.+-]+")) {
            throw new MamoriException(PlatformErrors.INVALID, "An artifact's media type is type/subtype, e.g. text/csv.");
        }
        JobArtifactStore store = artifacts.get();
        if (store == null) {
            throw new MamoriException(PlatformErrors.ARTIFACT_STORE_UNAVAILABLE, "No artifact store is running; the job waits "
                    + "for it.", null, Duration.ofSeconds(30));
        }
        return store;
    }

    private JobArtifact written(JobArtifact a) {
        events.publish(MamoriEvent.builder(PlatformEvents.JOB_ARTIFACT_WRITTEN).tenant(row.tenantId).target("job", row.id)
                .detail("jobType", row.type).detail("name", a.name()).detail("size", a.size()).detail("sha256", a.sha256()));
        return a;
    }
}
