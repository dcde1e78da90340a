package dev.mamori.audit.internal;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.audit.AuditEntry;
import dev.mamori.audit.AuditErrors;
import dev.mamori.audit.AuditEvents;
import dev.mamori.audit.AuditExport;
import dev.mamori.audit.AuditPage;
import dev.mamori.audit.AuditQuery;
import dev.mamori.audit.AuditService;
import dev.mamori.audit.AuditVerification;
import dev.mamori.audit.LogCheckpoint;
import dev.mamori.audit.Proof;
import dev.mamori.audit.proof.SubtreeProofs;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;

/**
 * The audit log's service: every call resolves the caller's log first ({@link AuditAccess}), then
 * reads the integrated tree (what is pending is integrated first, so a caller sees its own action).
 */
@Component(service = AuditService.class)
public class AuditServiceImpl implements AuditService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AuditServiceImpl.class);
    private final AuditEngine engine;
    private final AuditAccess access;
    private final EventPublisher events;

    /**
     * @param engine the log machinery
     * @param events records operators' reads and exports
     */
    @Activate
    public AuditServiceImpl(@Reference AuditEngine engine, @Reference EventPublisher events) {
        this.engine = engine;
        this.events = events;
        this.access = new AuditAccess(events, this::exists);
    }

    private boolean exists(String log) {
        return engine.store.read(c -> AuditStore.head(c, log, false).isPresent() || AuditStore.hasPending(c, log));
    }

    /** Integrates what is pending for the log, so that a read includes every committed event. */
    private AuditStore.Head current(String log) {
        engine.integrator.integrate(log);
        return engine.store.read(c -> AuditStore.head(c, log, false))
                .orElseThrow(() -> new MamoriException(AuditErrors.NO_SUCH_LOG, "There is no such audit log."));
    }

    /**
     * The log brought up to date and signed: what a verification or an export covers is exactly the
     * newest checkpoint's size (entries after it are not yet signed and are left for the next one).
     */
    private long signedSize(String log) {
        current(log);
        try {
            return engine.checkpointer.signOnRequest(log).map(AuditStore.StoredCheckpoint::size).orElse(0L);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // a head that does not add up (rewritten peaks, a history that does not extend its checkpoint) is what verifying is for
            LOG.error("No checkpoint of audit log {} could be signed before verifying it: {}", log, e.toString());
            return engine.store.read(c -> AuditStore.latestCheckpoint(c, log)).map(AuditStore.StoredCheckpoint::size).orElse(0L);
        }
    }

    @Override
    public AuditPage search(AuditQuery q) {
        String log = access.resolve(q.log(), q.reason(), "search");
        current(log);
        StringBuilder sql = new StringBuilder("SELECT idx, entry_bytes FROM mamori_audit_entry WHERE log_id = ? AND idx > ?");
        List<Object> args = new ArrayList<>(List.of(log, q.after()));
        if (q.from() != null) {
            sql.append(" AND occurred_at >= ?");
            args.add(q.from().toEpochMilli());
        }
        if (q.to() != null) {
            sql.append(" AND occurred_at < ?");
            args.add(q.to().toEpochMilli());
        }
        if (q.actorId() != null) {
            sql.append(" AND actor_id = ?");
            args.add(q.actorId());
        }
        if (q.action() != null) {
            if (q.action().endsWith(".")) {
                // a prefix; LIKE's wildcards escaped so that a caller's '%' matches only itself
                sql.append(" AND action LIKE ? ESCAPE '!'");
                args.add(q.action().replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
            } else {
                sql.append(" AND action = ?");
                args.add(q.action());
            }
        }
        if (q.outcome() != null) {
            sql.append(" AND outcome = ?");
            args.add(q.outcome().name());
        }
        sql.append(" ORDER BY idx FETCH FIRST ").append(q.limit() + 1).append(" ROWS ONLY");
        List<AuditEntry> rows = engine.store.read(c -> AuditStore.list(c, sql.toString(), args,
                rs -> Entries.decode(log, rs.getLong(1), rs.getBytes(2))));
        boolean more = rows.size() > q.limit();
        List<AuditEntry> page = more ? rows.subList(0, q.limit()) : rows;
        return new AuditPage(page, more ? page.get(page.size() - 1).index() : -1);
    }

    @Override
    public Optional<LogCheckpoint> checkpoint(String requested, String reason) {
        String log = access.resolve(requested, reason, "checkpoint");
        current(log);
        try {
            return engine.checkpointer.signOnRequest(log).map(engine.checkpointer::view);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // a damaged head is never signed (the error alerts operators): the newest valid checkpoint is still the truth to hold on to
            return engine.store.read(c -> AuditStore.latestCheckpoint(c, log)).map(engine.checkpointer::view);
        }
    }

    @Override
    public List<String> verifierKeys(String requested, String reason) {
        String log = access.resolve(requested, reason, "keys");
        return engine.checkpointer.verifierKeys(log, current(log).origin());
    }

    @Override
    public Proof inclusion(String requested, long index, long treeSize, String reason) {
        String log = access.resolve(requested, reason, "proof");
        AuditStore.Head head = current(log);
        if (treeSize < 1 || treeSize > head.size() || index < head.prunedBefore() || index >= treeSize) {
            throw new MamoriException(AuditErrors.OUT_OF_RANGE, "An inclusion proof needs " + head.prunedBefore()
                    + " <= index < treeSize <= " + head.size() + " (the log's size; entries before " + head.prunedBefore() + " were pruned).");
        }
        return engine.store.read(c -> {
            TreeHashes hashes = new TreeHashes(c, log, head.prunedBefore());
            return new Proof(log, index, treeSize, hashes.subtree(index, 0), new SubtreeProofs(hashes).inclusion(index, treeSize));
        });
    }

    @Override
    public Proof consistency(String requested, long first, long second, String reason) {
        String log = access.resolve(requested, reason, "proof");
        AuditStore.Head head = current(log);
        if (first < 1 || first > second || second > head.size()) {
            throw new MamoriException(AuditErrors.OUT_OF_RANGE, "A consistency proof needs 1 <= first <= second <= " + head.size()
                    + " (the log's size).");
        }
        return engine.store.read(c -> new Proof(log, first, second, null,
                new SubtreeProofs(new TreeHashes(c, log, head.prunedBefore())).consistency(first, second)));
    }

    @Override
    public AuditVerification verify(String requested, List<String> externalNotes, String reason) {
        String log = access.resolve(requested, reason, "verify");
        AuditStore.Head head = current(log);
        long signed = signedSize(log);
        AuditVerification v;
        try {
            List<String> external = engine.checkpointer.checkExternal(log, head, externalNotes);
            long bound = Math.max(signed, external.stream().mapToLong(Checkpointer::size).max().orElse(0));
            v = new LogReader(engine, log, current(log), bound).verify(external);
        } catch (Checkpointer.DamagedLog d) {
            v = new AuditVerification(log, false, 0, 0, head.size(), null, d.position, "EDITED", d.getMessage());
        }
        if (!v.ok()) {
            events.publish(MamoriEvent.builder(AuditEvents.LOG_DAMAGED).outcome(MamoriEvent.Outcome.FAILURE).detail("log", log)
                    .detail("position", v.position()).detail("damage", v.damage()));
        }
        return v;
    }

    @Override
    public AuditExport export(String requested, String reason) {
        String log = access.resolve(requested, reason, "export");
        long bound = signedSize(log);
        AuditStore.Head head = current(log);
        events.publish(MamoriEvent.builder(AuditEvents.LOG_EXPORTED).tenant(AuditService.PLATFORM_LOG.equals(log) ? null : log)
                .target("audit-log", log).detail("entries", Math.max(0, bound - head.prunedBefore()))
                .detail("reason", reason == null || reason.isBlank() ? null : reason.strip()));
        return new AuditExport() {
            @Override
            public String log() {
                return log;
            }

            @Override
            public long writeTo(OutputStream out) {
                return new LogReader(engine, log, head, bound).export(out);
            }
        };
    }
}
