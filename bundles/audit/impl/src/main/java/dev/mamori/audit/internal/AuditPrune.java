package dev.mamori.audit.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.audit.AuditEvents;
import dev.mamori.audit.AuditService;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;

/**
 * Daily (03:17 in the platform's zone): entries older than {@code retention.months} (AUD-1: 12)
 * are pruned from the front of each log in whole blocks of 256. A block's leaf hashes stay (8 KiB),
 * so every remaining entry's inclusion proof and every consistency proof from an old checkpoint
 * still verify; what goes is the entries themselves. Terminated and deleted tenants' logs are pruned
 * only by age, like any other (TEN-5: deleting a tenant never deletes its log).
 */
@Component(service = {JobHandler.class, AuditPrune.class}, property = JobHandler.SCHEDULE + "=0 17 3 * * ?")
public class AuditPrune implements JobHandler<JobType.None, JobType.None> {
    static final JobType<JobType.None, JobType.None> TYPE = JobType.simple("audit.prune");
    /** AUD-1: entries are kept 12 months at least. */
    static final int MIN_MONTHS = 12;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuditPrune.class);
    private final AuditEngine engine;
    private final EventPublisher events;

    /**
     * @param engine the log machinery
     * @param events records each pruning in the log it pruned
     */
    @Activate
    public AuditPrune(@Reference AuditEngine engine, @Reference EventPublisher events) {
        this.engine = engine;
        this.events = events;
    }

    @Override
    public JobType<JobType.None, JobType.None> type() {
        return TYPE;
    }

    @Override
    public JobStep<JobType.None> step(JobRun<JobType.None, JobType.None> run) {
        return JobStep.finished(pruneAll() + " entries pruned");
    }

    /** @return the cut-off: entries before it are past their retention */
    Instant cutoff() {
        return ZonedDateTime.now(engine.clock).minusMonths(months(engine.config())).toInstant();
    }

    /** @return the configured retention, never below the 12 months AUD-1 promises (a shorter setting is refused, logged) */
    static int months(AuditConfig config) {
        if (config.retention_months() < MIN_MONTHS) {
            LOG.error("retention.months = {} is below the {} months the audit log keeps (AUD-1): {} are kept", config.retention_months(),
                    MIN_MONTHS, MIN_MONTHS);
            return MIN_MONTHS;
        }
        return config.retention_months();
    }

    /** @return how many entries were pruned from every log */
    long pruneAll() {
        long total = 0;
        Instant cutoff = cutoff();
        for (AuditStore.Head h : engine.store.read(AuditStore::heads)) {
            long before = h.prunedBefore();
            // only what a checkpoint signed before the cut-off covers: the entries' time column is a copy anyone with the database can change
            long limit = engine.checkpointer.signedBefore(h.log(), h.origin(), cutoff);
            long after = prune(h.log(), cutoff, limit);
            if (after > before) {
                total += after - before;
                String log = h.log();
                events.publish(MamoriEvent.builder(AuditEvents.LOG_PRUNED).tenant(AuditService.PLATFORM_LOG.equals(log) ? null : log)
                        .detail("log", log).detail("before", after).detail("entries", after - before));
            }
        }
        return total;
    }

    /** @return the log's new pruned boundary */
    long prune(String log, Instant cutoff, long limit) {
        while (true) {
            long[] r = engine.store.inTransaction(c -> pruneBlock(c, log, cutoff.toEpochMilli(), limit));
            if (r[1] == 0) {
                return r[0];
            }
        }
    }

    /** Prunes the next block if all of it is past the cut-off. @return {pruned boundary, blocks pruned now} */
    private static long[] pruneBlock(Connection c, String log, long cutoff, long limit) throws SQLException {
        AuditStore.Head head = AuditStore.head(c, log, true).orElseThrow();
        long from = head.prunedBefore();
        long to = from + Integrator.BLOCK;
        if (to > head.size() || to > limit || newestIn(c, log, from, to) >= cutoff) {
            return new long[] {from, 0};
        }
        List<byte[]> leaves = AuditStore.leafHashes(c, log, from, to, from);
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO mamori_audit_pruned (log_id, block_no, hashes) VALUES (?, ?, ?)");
                PreparedStatement del = c.prepareStatement("DELETE FROM mamori_audit_entry WHERE log_id = ? AND idx >= ? AND idx < ?");
                PreparedStatement up = c.prepareStatement("UPDATE mamori_audit_log SET pruned_before = ? WHERE log_id = ?")) {
            ins.setString(1, log);
            ins.setLong(2, from / Integrator.BLOCK);
            ins.setBytes(3, AuditStore.join(leaves));
            ins.executeUpdate();
            del.setString(1, log);
            del.setLong(2, from);
            del.setLong(3, to);
            del.executeUpdate();
            up.setLong(1, to);
            up.setString(2, log);
            up.executeUpdate();
        }
        return new long[] {to, 1};
    }

    private static long newestIn(Connection c, String log, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(occurred_at) FROM mamori_audit_entry WHERE log_id = ? AND idx >= ? "
                + "AND idx < ?")) {
            ps.setString(1, log);
            ps.setLong(2, from);
            ps.setLong(3, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? Long.MAX_VALUE : v;
            }
        }
    }
}
