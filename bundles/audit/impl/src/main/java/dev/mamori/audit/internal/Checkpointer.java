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
import dev.mamori.audit.proof.MerkleTree;
import dev.mamori.audit.proof.SignedNote;
import dev.mamori.audit.proof.SubtreeProofs;
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
     * @param minSize sign only if the head is at least this far beyond the newest checkpoint (1: whenever it grew)
     * @return the newest checkpoint after this call, if the log has one
     */
    Optional<AuditStore.StoredCheckpoint> signIfGrown(String log, long minSize) {
        AuditStore.Head head = store.read(c -> AuditStore.head(c, log, false)).orElse(null);
        if (head == null || head.size() == 0) {
            return Optional.empty();
        }
        // growth is judged from the newest checkpoint itself, never from a counter a database writer could raise
        Optional<AuditStore.StoredCheckpoint> latest = store.read(c -> AuditStore.latestCheckpoint(c, log));
        long signedSize = latest.map(AuditStore.StoredCheckpoint::size).orElse(0L);
        if (head.size() - signedSize >= Math.max(1, minSize)) {
            sign(head, latest.orElse(null));
            return store.read(c -> AuditStore.latestCheckpoint(c, log));
        }
        return latest;
    }

    /**
     * Signs the head, after checking that it extends the newest checkpoint: the note of that one must
     * verify under the log's keys and a consistency proof from it (over the stored tiles) to the new
     * head must hold, so that a history rewritten in the database is never signed over.
     */
    private void sign(AuditStore.Head head, AuditStore.StoredCheckpoint previous) {
        String log = head.log();
        byte[] root = MerkleFrontier.of(head.size(), head.peaks()).root();
        if (previous != null) {
            extendsPrevious(head, root, previous);
        }
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

    private void extendsPrevious(AuditStore.Head head, byte[] root, AuditStore.StoredCheckpoint previous) {
        List<String> keys = verifierKeys(head.log(), head.origin());
        Checkpoint signed = keys.stream().map(k -> SignedNote.open(previous.note(), k)).flatMap(Optional::stream).findFirst()
                .map(Checkpoint::parse).orElse(null);
        String refusal = null;
        if (signed == null || !signed.origin().equals(head.origin()) || signed.size() != previous.size()) {
            refusal = "its newest checkpoint (size " + previous.size() + ") does not verify under the log's keys";
        } else if (signed.size() > head.size()) {
            refusal = "its head (size " + head.size() + ") is behind its newest checkpoint (size " + signed.size() + ")";
        } else if (signed.size() < head.size()) {
            List<byte[]> proof = store.read(c -> new SubtreeProofs(new TreeHashes(c, head.log(), head.prunedBefore()))
                    .consistency(signed.size(), head.size()));
            if (!MerkleTree.verifyConsistency(signed.size(), head.size(), proof, signed.root(), root)) {
                refusal = "its head (size " + head.size() + ") does not extend its newest checkpoint (size " + signed.size() + ")";
            }
        }
        if (refusal != null) {
            // never sign over a rewritten history: the operators are alerted (AUD-5 counts this error)
            LOG.error("Audit log {} is damaged, no checkpoint signed: {}. Run mamori:audit-verify.", head.log(), refusal);
            throw new IllegalStateException("The audit log " + head.log() + " is damaged: " + refusal);
        }
    }

    /** On-request signing of one log at most this often (a caller looping on /checkpoint or /export gets the newest). */
    static final java.time.Duration REQUEST_INTERVAL = java.time.Duration.ofSeconds(10);
    private final Map<String, Instant> requested = new ConcurrentHashMap<>();

    /** @return as {@link #signIfGrown}, but signing for a caller's request at most once per {@link #REQUEST_INTERVAL} per log */
    Optional<AuditStore.StoredCheckpoint> signOnRequest(String log) {
        Instant now = clock.instant();
        Instant last = requested.get(log);
        if (last != null && now.isBefore(last.plus(REQUEST_INTERVAL))) {
            return store.read(c -> AuditStore.latestCheckpoint(c, log));
        }
        requested.put(log, now);
        if (requested.size() > 10_000) {
            requested.clear();
        }
        return signIfGrown(log, 1);
    }

    /**
     * @param log    a log
     * @param origin its origin
     * @param cutoff an instant
     * @return the size of the newest checkpoint whose signed time is before the cut-off (0 if none):
     *         what pruning may reach, whatever the entries' copied time columns say
     */
    long signedBefore(String log, String origin, Instant cutoff) {
        List<String> keys = verifierKeys(log, origin);
        long best = 0;
        for (AuditStore.StoredCheckpoint cp : store.read(c -> AuditStore.checkpoints(c, log))) {
            Optional<Checkpoint> c = keys.stream().map(k -> SignedNote.open(cp.note(), k)).flatMap(Optional::stream).findFirst().map(t -> {
                try {
                    return Checkpoint.parse(t);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            });
            Optional<Instant> signedAt = c.flatMap(x -> x.extensions().stream().filter(e -> e.startsWith("time ")).findFirst())
                    .map(e -> OffsetDateTime.parse(e.substring(5)).toInstant());
            if (c.isPresent() && c.get().origin().equals(origin) && signedAt.isPresent() && signedAt.get().isBefore(cutoff)) {
                best = Math.max(best, c.get().size());
            }
        }
        return best;
    }

    /** @param note a signed note @return the size its checkpoint claims (its second line), -1 if none */
    static long size(String note) {
        String[] lines = note.split("\n", 3);
        try {
            return lines.length > 1 ? Long.parseLong(lines[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Checks checkpoints a caller kept (AUD-3: a tenant proves its history with them): each must be
     * the log's, signed with its key ({@code invalid} otherwise: a note that is not the log's says
     * nothing about the log). Those of a size the log has pruned are checked here, against the tree
     * head the kept leaf hashes give; the others go to the verifier with the entries.
     *
     * @return the notes for the verifier
     * @throws dev.mamori.platform.error.MamoriException {@code invalid} for a note that is not the log's; {@code audit-log-damaged}
     *                                                   when a pruned-era checkpoint does not match the tree
     */
    List<String> checkExternal(String log, AuditStore.Head head, List<String> notes) {
        if (notes.isEmpty()) {
            return List.of();
        }
        List<String> keys = verifierKeys(log, head.origin());
        List<String> out = new ArrayList<>();
        for (String note : notes) {
            Checkpoint c = keys.stream().map(k -> SignedNote.open(note, k)).flatMap(Optional::stream).findFirst().map(t -> {
                try {
                    return Checkpoint.parse(t);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }).orElse(null);
            if (c == null || !c.origin().equals(head.origin())) {
                throw new MamoriException(dev.mamori.platform.error.PlatformErrors.INVALID, "A checkpoint given is not one of this log's "
                        + "(its signature does not verify under the log's keys, or its origin is another log's).");
            }
            if (c.size() > 0 && c.size() < head.prunedBefore()) {
                byte[] root = store.read(x -> new SubtreeProofs(new TreeHashes(x, log, head.prunedBefore())).root(c.size()));
                if (!java.security.MessageDigest.isEqual(root, c.root())) {
                    LOG.error("Audit log {}: a kept checkpoint of size {} does not match the tree", log, c.size());
                    throw new DamagedLog(c.size(), "the kept checkpoint of size " + c.size() + " does not match the log's tree: "
                            + "entries before it were rewritten (they are pruned; their leaf hashes were changed)");
                }
            } else {
                out.add(note);
            }
        }
        return out;
    }

    /** A kept checkpoint of a pruned size that the tree no longer matches. */
    static final class DamagedLog extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long position;

        DamagedLog(long position, String message) {
            super(message);
            this.position = position;
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
