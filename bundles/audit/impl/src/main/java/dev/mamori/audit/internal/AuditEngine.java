package dev.mamori.audit.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.audit.AuditSink;
import dev.mamori.platform.db.SchemaReady;
import dev.mamori.vault.DeclaresSigningPurposes;
import dev.mamori.vault.VaultSigner;

/**
 * The log machinery of one node: the store, the integrator that moves recorded events into the
 * trees, the checkpointer and the sinks. Integration runs after the commits that recorded events
 * (on the platform's after-commit thread, coalesced) and every minute (the audit.maintain job).
 */
@Component(service = AuditEngine.class, configurationPid = AuditConfig.PID)
@Designate(ocd = AuditConfig.class)
@DeclaresSigningPurposes("audit.checkpoint")
public class AuditEngine {
    private static final Logger LOG = LoggerFactory.getLogger(AuditEngine.class);
    final AuditStore store;
    final Integrator integrator;
    final Checkpointer checkpointer;
    final Clock clock;
    private volatile VaultSigner signer;
    private final Map<String, AuditSink> sinks = new ConcurrentSkipListMap<>();
    private final AtomicBoolean dirty = new AtomicBoolean();
    /** When the integration a group commit queued on the after-commit thread was queued (System.nanoTime), 0 if none is waiting. */
    private final java.util.concurrent.atomic.AtomicLong queuedAt = new java.util.concurrent.atomic.AtomicLong();
    private volatile AuditConfig config;

    /**
     * @param raw    the pooled {@code mamori} DataSource
     * @param schema present once the audit tables exist
     * @param clock  the platform clock
     * @param config configuration
     */
    @Activate
    public AuditEngine(@Reference(target = "(osgi.jndi.service.name=mamori)") DataSource raw,
            @Reference(target = "(" + SchemaReady.NAME + "=audit)") SchemaReady schema, @Reference Clock clock, AuditConfig config) {
        this(new AuditStore(raw), null, clock, config);
    }

    AuditEngine(AuditStore store, VaultSigner signer, Clock clock, AuditConfig config) {
        this.store = store;
        this.clock = clock;
        this.config = config;
        this.signer = signer;
        this.integrator = new Integrator(store, clock, config.log_origin());
        this.checkpointer = new Checkpointer(store, () -> this.signer, clock, () -> new ArrayList<>(sinks.entrySet()));
    }

    /**
     * The vault's signer, bound when it comes: the log records (the vault's own events too) before
     * the vault runs, and signs its checkpoints once it does.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindSigner(VaultSigner s) {
        signer = s;
    }

    void unbindSigner(VaultSigner s) {
        if (signer == s) {
            signer = null;
        }
    }

    @Modified
    void modified(AuditConfig c) {
        // the origin stays: a log's origin is fixed when it begins (its head keeps it)
        config = c;
    }

    AuditConfig config() {
        return config;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindSink(AuditSink sink, Map<String, Object> props) {
        sinks.put(name(sink, props), sink);
    }

    void unbindSink(AuditSink sink, Map<String, Object> props) {
        sinks.remove(name(sink, props));
    }

    private static String name(AuditSink sink, Map<String, Object> props) {
        Object n = props.get(AuditSink.NAME);
        return (n == null ? sink.getClass().getName() : n.toString()) + "#" + props.get("service.id");
    }

    /** @return the notes every sink kept for the log (a sink that cannot be read is logged and skipped) */
    List<String> sinkNotes(String log) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, AuditSink> s : sinks.entrySet()) {
            try {
                out.addAll(s.getValue().notes(log));
            } catch (RuntimeException e) {
                LOG.error("Audit sink {} could not be read back", s.getKey(), e);
            }
        }
        return out;
    }

    /** Called after a commit that recorded events: integrates what is pending, at most one pass at a time. */
    void recorded() {
        dirty.set(true);
        drain();
    }

    /**
     * Asked right after a commit of standalone events ended (after it, not before: see below).
     *
     * @return the after-commit work that integrates it, or null when such work is queued and has
     *         not begun: that one begins after this commit, so its pass sees it. The group
     *         commit's flushes, hundreds a second, thus queue one pass per pass' worth of them,
     *         not one task (and one small pass and commit) each: those filled the after-commit
     *         thread's queue, where other listeners' work was then dropped. Work queued more than
     *         a second ago no longer counts (it may have been dropped).
     */
    Runnable committed() {
        long now = System.nanoTime();
        long queued = queuedAt.get();
        if (queued != 0 && now - queued < java.util.concurrent.TimeUnit.SECONDS.toNanos(1)) {
            return null;
        }
        long stamp = now == 0 ? 1 : now;
        if (!queuedAt.compareAndSet(queued, stamp)) {
            return null; // another commit queued it just now
        }
        return () -> {
            queuedAt.compareAndSet(stamp, 0);
            recorded();
        };
    }

    private void drain() {
        while (dirty.getAndSet(false)) {
            try {
                integrateAndCheckpoint(config.checkpoint_entries());
            } catch (RuntimeException e) {
                // the events are durable in the pending table; the audit.maintain job integrates them later
                LOG.error("Audit integration failed; it is retried by the audit.maintain job", e);
                return;
            }
        }
    }

    /**
     * @param minGrowth sign a checkpoint of a log that grew at least this much since its last
     * @return how many logs grew
     */
    int integrateAndCheckpoint(long minGrowth) {
        Map<String, Long> grown = integrator.integrateAll();
        for (String log : grown.keySet()) {
            try {
                checkpointer.signIfGrown(log, minGrowth);
            } catch (RuntimeException e) {
                unsigned(log, e);
            }
        }
        return grown.size();
    }

    /** A log that could not be signed: an error operators are alerted of (AUD-5), unless its owner's keys were shredded on purpose. */
    private static void unsigned(String log, RuntimeException e) {
        if (e instanceof dev.mamori.vault.KeyDestroyedException) {
            LOG.debug("Audit log {} is of a shredded tenant: no new checkpoint", log);
        } else {
            LOG.error("No checkpoint of audit log {} now ({}); the next pass tries again", log, e.toString());
        }
    }

    /** Sends the newest checkpoint of every log again to the sinks, while one of them failed: a sink that came back catches up. */
    int resendToSinks() {
        if (checkpointer.failedSinks().isEmpty()) {
            return 0;
        }
        int sent = 0;
        for (AuditStore.Head h : store.read(AuditStore::heads)) {
            Optional<AuditStore.StoredCheckpoint> latest = store.read(c -> AuditStore.latestCheckpoint(c, h.log()));
            if (latest.isPresent()) {
                checkpointer.toSinks(checkpointer.view(latest.get()));
                sent++;
            }
        }
        return sent;
    }

    /**
     * Signs a checkpoint of every log that grew since its last one, signed at least {@code age} ago (the periodic pass).
     *
     * @param age how old the last checkpoint must be
     * @return how many were signed
     */
    int checkpointAll(java.time.Duration age) {
        int signed = 0;
        long before = clock.millis() - age.toMillis();
        for (AuditStore.Head h : store.read(AuditStore::heads)) {
            Optional<AuditStore.StoredCheckpoint> latest = store.read(c -> AuditStore.latestCheckpoint(c, h.log()));
            if (h.size() > latest.map(AuditStore.StoredCheckpoint::size).orElse(0L) && latest.map(cp -> cp.signedAt() <= before).orElse(true)) {
                try {
                    checkpointer.signIfGrown(h.log(), 1);
                    signed++;
                } catch (RuntimeException e) {
                    unsigned(h.log(), e);
                }
            }
        }
        return signed;
    }
}
