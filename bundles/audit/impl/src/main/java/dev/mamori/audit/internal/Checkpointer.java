package dev.mamori.audit.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.audit.AuditErrors;
import dev.mamori.audit.AuditService;
import dev.mamori.audit.AuditSink;
import dev.mamori.audit.LogCheckpoint;
import dev.mamori.audit.proof.Checkpoint;
import dev.mamori.audit.proof.MerkleFrontier;
import dev.mamori.audit.proof.SignedNote;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.vault.SigningPublicKey;
import dev.mamori.vault.SigningPurpose;
import dev.mamori.vault.VaultSignature;
import dev.mamori.vault.VaultSigner;

/**
 * Signs checkpoints of a log's head (C2SP tlog-checkpoint signed notes, Ed25519 under the log
 * owner's {@code audit.checkpoint} key in the vault), stores them, and writes each to every
 * {@link AuditSink}. The platform signs, in its own name, bound to the tenant whose key it uses.
 */
final class Checkpointer {
    static final SigningPurpose PURPOSE = SigningPurpose.of("audit.checkpoint");
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");

    private final AuditStore store;
    private final Supplier<VaultSigner> signer;
    private final Clock clock;
    private final Supplier<List<Map.Entry<String, AuditSink>>> sinks;
    /** Sinks whose last write failed, with what failed (health). */
    private final Map<String, String> failedSinks = new ConcurrentHashMap<>();

    Checkpointer(AuditStore store, Supplier<VaultSigner> signer, Clock clock, Supplier<List<Map.Entry<String, AuditSink>>> sinks) {
        this.store = store;
        this.signer = signer;
        this.clock = clock;
        this.sinks = sinks;
    }

    static String owner(String log) {
        return AuditService.PLATFORM_LOG.equals(log) ? VaultSigner.PLATFORM : log;
    }

    /** Runs vault work as the platform, bound to the log's tenant (whose key it is). */
    static <T> T asOwner(String log, Supplier<T> work) {
        ExecutionContext ctx = ExecutionContext.system("audit");
        return (AuditService.PLATFORM_LOG.equals(log) ? ctx : ctx.withTenant(log)).call(work);
    }

    /**
     * @param log     a log
     * @param minSize sign only if the head is at least this far beyond the last checkpoint (1: whenever it grew)
     * @return the newest checkpoint after this call, if the log has one
     */
    Optional<AuditStore.StoredCheckpoint> signIfGrown(String log, long minSize) {
        AuditStore.Head head = store.read(c -> AuditStore.head(c, log, false)).orElse(null);
        if (head == null || head.size() == 0) {
            return Optional.empty();
        }
        if (head.size() - head.checkpointSize() >= Math.max(1, minSize)) {
            sign(head);
        }
        return store.read(c -> AuditStore.latestCheckpoint(c, log));
    }

    private void sign(AuditStore.Head head) {
        String log = head.log();
        byte[] root = MerkleFrontier.of(head.size(), head.peaks()).root();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        OffsetDateTime time = OffsetDateTime.ofInstant(now, clock.getZone());
        String text = new Checkpoint(head.origin(), head.size(), root, List.of("time " + TIME.format(time))).body();
        VaultSigner signer = signer();
        String note = asOwner(log, () -> {
            VaultSignature sig = signer.sign(owner(log), PURPOSE, text.getBytes(StandardCharsets.UTF_8));
            SigningPublicKey key = signer.publicKeys(owner(log), PURPOSE).stream().filter(k -> k.version() == sig.version()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("The vault has no public key of the version that signed"));
            return SignedNote.format(text, head.origin(), key.noteKeyHash(head.origin()), sig.signature());
        });
        AuditStore.StoredCheckpoint cp = new AuditStore.StoredCheckpoint(log, head.size(), root, now.toEpochMilli(), note);
        if (store.inTransaction(c -> AuditStore.insertCheckpoint(c, cp))) {
            toSinks(view(cp));
        }
    }

    /** Writes a checkpoint to every sink; a sink that fails is reported (health) and the error logged. */
    void toSinks(LogCheckpoint cp) {
        for (Map.Entry<String, AuditSink> s : sinks.get()) {
            try {
                s.getValue().write(cp.log(), cp);
                failedSinks.remove(s.getKey());
            } catch (RuntimeException e) {
                failedSinks.put(s.getKey(), cp.log() + " size " + cp.size() + ": " + e.getMessage());
                LOG.error("Audit sink {} could not keep the checkpoint of log {} at size {}", s.getKey(), cp.log(), cp.size(), e);
            }
        }
    }

    /** @return sinks whose last write failed, with why */
    Map<String, String> failedSinks() {
        return Map.copyOf(failedSinks);
    }

    LogCheckpoint view(AuditStore.StoredCheckpoint cp) {
        return new LogCheckpoint(cp.log(), cp.size(), cp.root(), OffsetDateTime.ofInstant(Instant.ofEpochMilli(cp.signedAt()), clock.getZone()),
                cp.note());
    }

    private VaultSigner signer() {
        VaultSigner s = signer.get();
        if (s == null) {
            throw new MamoriException(AuditErrors.STORE_UNAVAILABLE, "The vault, which holds the audit log's signing keys, is not "
                    + "running; checkpoints are signed once it is.", null, java.time.Duration.ofSeconds(5));
        }
        return s;
    }

    /** @return the log's verifier keys under its origin, oldest version first */
    List<String> verifierKeys(String log, String origin) {
        List<String> out = new ArrayList<>();
        VaultSigner signer = signer();
        asOwner(log, () -> signer.publicKeys(owner(log), PURPOSE)).forEach(k -> out.add(k.noteVerifierKey(origin)));
        return out;
    }
}
