package dev.mamori.audit.proof;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Checks every entry of one log against its signed checkpoints, streaming: the server feeds it
 * database rows, {@link ExportVerifier} an export file, and both get the same answer. Memory is
 * the log's frontier (O(log n)) plus the checkpoints given ahead of the entries, so a log of
 * millions of entries needs no more than a small one.
 *
 * <p>Feed each {@link #checkpoint} and {@link #externalCheckpoint} before the row whose index is
 * its size (ahead is fine), {@link #entry} rows in stored order, then {@link #finish}. It
 * reports the first bad position only: an entry whose bytes or index are wrong, a missing or
 * extra row, a signed head the entries do not hash to, a checkpoint that does not verify, or a
 * log shorter than what was signed. One instance checks one log once; not thread-safe.
 */
public final class LogVerifier {
    /** What is wrong with a log at its first bad position. */
    public enum Damage {
        /** An entry's bytes are not what was logged at that position. */
        EDITED,
        /** Entries are missing. */
        DELETED,
        /** An entry that was not logged there is there (or was copied from another log). */
        INSERTED,
        /** Entries are in another order. */
        REORDERED,
        /** The log ends before what was signed or declared. */
        TRUNCATED,
        /** A checkpoint does not verify, or checkpoints contradict each other. */
        CHECKPOINT_FORGED,
        /**
         * Entries that no trusted checkpoint covers: the last ones after the newest checkpoint, or a
         * whole export whose prefix nothing signed can vouch for — nothing proves they are the log's.
         */
        UNSIGNED
    }

    /**
     * What a check found.
     *
     * @param log                the log's id
     * @param ok                 whether nothing is wrong
     * @param entriesChecked     entries hashed into the tree (from the start position)
     * @param checkpointsChecked signed checkpoints whose roots matched
     * @param size               the tree size reached
     * @param root               the tree head at that size
     * @param position           the first bad index (-1 if ok)
     * @param kind               what is wrong there (null if ok)
     * @param message            one line for a person (null if ok)
     */
    public record Result(String log, boolean ok, long entriesChecked, long checkpointsChecked, long size, byte[] root,
                         long position, Damage kind, String message) {
        /** Copies the root; keeps the message on one line. */
        public Result {
            root = root.clone();
            message = message == null ? null : message.replaceAll("\\p{Cntrl}", " ");
        }

        @Override
        public byte[] root() {
            return root.clone();
        }

        /** @return {@code OK <log> entries=.. checkpoints=.. size=.. root=..} or {@code DAMAGED <log> at <position>: <KIND> - <message>} */
        public String summary() {
            return ok ? "OK " + log + " entries=" + entriesChecked + " checkpoints=" + checkpointsChecked + " size=" + size + " root="
                    + Base64.getEncoder().encodeToString(root) : "DAMAGED " + log + " at " + position + ": " + kind + " - " + message;
        }
    }

    /** A damage at a position, not yet known to be the first. */
    record Finding(long position, Damage kind, String message) {
    }

    /** A verified checkpoint whose size the entries have not reached. */
    private static final class Pending {
        final byte[] root;
        int notes = 1;
        boolean forked;

        Pending(byte[] root) {
            this.root = root;
        }
    }

    private final String logId;
    private final String origin;
    private final List<String> keys;
    private final TreeMap<Long, Pending> pending = new TreeMap<>();
    private MerkleFrontier frontier = MerkleFrontier.empty();
    private long from;
    private boolean started;
    private boolean finished;
    private byte[] previousLeaf;
    private long rowsSeen;
    private long lastLogSize = -1;
    private long lastMatched;
    private long checkedSize = -1;
    private byte[] checkedRoot;
    private long checkpointsChecked;
    /** The earliest finding the entries have not reached yet (a forged checkpoint ahead, a bad export line). */
    private Finding early;
    /** A checkpoint's root mismatch, waiting for the next row: an insertion right before it explains it better. */
    private Finding rootMismatch;
    private long mismatchSize;
    private Anomaly anomaly;
    private Finding decided;

    /**
     * @param logId        the log's id as entries carry it (a tenant id or {@code platform})
     * @param origin       its checkpoints' origin line
     * @param verifierKeys the keys a checkpoint may be signed with (several across a key rotation)
     */
    public LogVerifier(String logId, String origin, List<String> verifierKeys) {
        if (!CanonicalEntry.plainId(logId) || origin == null || origin.isEmpty() || verifierKeys == null || verifierKeys.isEmpty()) {
            throw new IllegalArgumentException("A log verifier needs the log's id, its origin and at least one verifier key.");
        }
        this.logId = logId;
        this.origin = origin;
        this.keys = List.copyOf(verifierKeys);
    }

    /**
     * Resumes after a pruned prefix; only before anything else.
     *
     * @param from  the index of the first entry that will be given
     * @param peaks the frontier's peaks at that size ({@link MerkleFrontier#peaks()}), trusted
     */
    public void start(long from, List<byte[]> peaks) {
        if (started || finished) {
            throw new IllegalStateException("start comes before any entry or checkpoint.");
        }
        frontier = MerkleFrontier.of(from, peaks);
        this.from = from;
        rowsSeen = from;
    }

    /**
     * @param signedNote a checkpoint the log itself keeps, in increasing size order, before the row
     *                   whose index is its size
     */
    public void checkpoint(String signedNote) {
        add(signedNote, false);
    }

    /**
     * @param signedNote a checkpoint from outside the log (a sink's copy, one a tenant saved); the
     *                   log must reach its size. Give it before the row whose index is its size.
     * @throws IllegalStateException if that row was already given
     */
    public void externalCheckpoint(String signedNote) {
        add(signedNote, true);
    }

    /**
     * @param rowIndex       the row's index as stored (ascending)
     * @param canonical      the entry's canonical bytes
     * @param storedLeafHash the leaf hash stored with it, or null if there is none
     * @return whether to go on: false once the answer is known
     */
    public boolean entry(long rowIndex, byte[] canonical, byte[] storedLeafHash) {
        open();
        started = true;
        rowsSeen = Math.max(rowsSeen, rowIndex + 1);
        if (decided != null) {
            return false;
        }
        if (anomaly != null) {
            CanonicalEntry.Shape s = CanonicalEntry.read(canonical);
            if (anomaly.observe(rowIndex, s.error() == null ? s.index() : -1)) {
                decide(anomaly.decide());
            }
            return decided == null;
        }
        long i = frontier.size();
        if (rootMismatch == null) {
            reached(); // every checkpoint of size i has come by now: the row of index i is here
            settle();
            if (decided != null) {
                return false;
            }
        }
        if (rowIndex > i) {
            anomaly = Anomaly.gap(i, rowIndex);
            return true;
        }
        if (rowIndex < i) {
            decide(new Finding(i, Damage.INSERTED, "row " + rowIndex + " comes again after row " + (i - 1) + ": a row was inserted"));
            return false;
        }
        CanonicalEntry.Shape shape = CanonicalEntry.read(canonical);
        if (shape.error() != null) {
            decide(new Finding(i, Damage.EDITED, "entry " + i + " " + shape.error() + ": it was edited"));
            return false;
        }
        if (!shape.log().equals(logId)) {
            decide(new Finding(i, Damage.INSERTED, "entry " + i + " belongs to log " + shape.log() + ": it was copied from another log"));
            return false;
        }
        byte[] leaf = MerkleTree.leafHash(canonical);
        if (storedLeafHash != null && !MessageDigest.isEqual(storedLeafHash, leaf)) {
            decide(new Finding(i, Damage.EDITED, "entry " + i + "'s bytes do not hash to its stored leaf hash: they were edited"));
            return false;
        }
        if (shape.index() != i) {
            anomaly = Anomaly.index(i, shape.index(), Arrays.equals(leaf, previousLeaf));
            return true;
        }
        if (rootMismatch != null) {
            decide(rootMismatch);
            return false;
        }
        frontier.append(leaf);
        previousLeaf = leaf;
        settle();
        return decided == null;
    }

    /**
     * Records a damage the source of the rows found itself (an export line out of format); the
     * first position still wins.
     *
     * @param position the first bad index
     * @param kind     what is wrong
     * @param message  one line for a person
     */
    public void report(long position, Damage kind, String message) {
        open();
        note(new Finding(position, kind, message));
    }

    /** @return whether the answer is known (the caller may stop feeding) */
    public boolean done() {
        return decided != null;
    }

    /**
     * @param declaredSize the size the log's head declares, -1 if unknown
     * @return the answer
     */
    public Result finish(long declaredSize) {
        open();
        finished = true;
        if (decided == null && anomaly == null && rootMismatch == null) {
            reached();
            settle();
        }
        if (decided == null && anomaly != null) {
            decide(anomaly.decide());
        }
        if (decided == null && rootMismatch != null) {
            decide(rootMismatch);
        }
        long count = frontier.size();
        Finding best = decided;
        if (best == null) {
            best = early;
            long signed = pending.isEmpty() ? -1 : pending.lastKey();
            if (declaredSize > count || signed > count) {
                best = first(best, new Finding(count, Damage.TRUNCATED, "the log has " + count + " entries but "
                        + (signed > count ? "a signed checkpoint covers " + signed : "its head declares " + declaredSize)
                        + ": entries from " + count + " on were removed"));
            }
        }
        if (declaredSize >= 0 && rowsSeen > declaredSize) {
            best = first(best, new Finding(declaredSize, Damage.INSERTED, "the log's head declares " + declaredSize
                    + " entries but rows go on to " + (rowsSeen - 1) + ": rows were added after the head"));
        }
        if (best == null && count > Math.max(lastMatched, from) || best == null && from > 0 && lastMatched < from && count > 0) {
            best = new Finding(Math.max(lastMatched, from), Damage.UNSIGNED, "entries from " + Math.max(lastMatched, from) + " to "
                    + count + " are covered by no checkpoint signed with a trusted key: nothing proves they are the log's");
        }
        return best == null
                ? new Result(logId, true, count - from, checkpointsChecked, count, frontier.root(), -1, null, null)
                : new Result(logId, false, count - from, checkpointsChecked, count, frontier.root(), best.position(), best.kind(), best.message());
    }

    private void add(String note, boolean external) {
        open();
        started = true;
        if (decided != null) {
            return;
        }
        String what = external ? "an external checkpoint" : "a checkpoint of the log";
        Optional<String> text = keys.stream().map(k -> SignedNote.open(note, k)).flatMap(Optional::stream).findFirst();
        if (text.isEmpty()) {
            long claimed = Checkpoint.claimedSize(note);
            note(new Finding(claimed >= 0 ? claimed : frontier.size(), Damage.CHECKPOINT_FORGED,
                    what + (claimed >= 0 ? " of size " + claimed : "") + " does not verify under any of the log's keys"));
            return;
        }
        Checkpoint c;
        try {
            c = Checkpoint.parse(text.get());
        } catch (IllegalArgumentException e) {
            note(new Finding(frontier.size(), Damage.CHECKPOINT_FORGED, what + " is signed but is no checkpoint: " + e.getMessage()));
            return;
        }
        long s = c.size();
        byte[] root = c.root();
        if (!c.origin().equals(origin)) {
            note(new Finding(s, Damage.CHECKPOINT_FORGED, what + " of size " + s + " is for " + c.origin() + ", not " + origin));
            return;
        }
        if (!external) {
            if (s < lastLogSize) {
                note(new Finding(s, Damage.CHECKPOINT_FORGED, "the log's checkpoint of size " + s + " follows one of size " + lastLogSize
                        + ": its checkpoints were replaced or moved"));
                return;
            }
            lastLogSize = s;
        }
        if (s < from) {
            if (external) {
                // the caller's own checkpoint covers what this export no longer holds: it proves nothing here
                note(new Finding(from, Damage.UNSIGNED, "an external checkpoint of size " + s + " covers entries pruned before " + from
                        + ", which this export does not hold: check it against the server with a consistency proof"));
            }
            return; // the log's own checkpoint of the pruned prefix: only its signature can be checked
        }
        String fork = "two signed checkpoints of size " + s + " have different roots: the log was forked or a checkpoint replaced";
        if (s == checkedSize) {
            if (!MessageDigest.isEqual(root, checkedRoot)) {
                note(new Finding(s, Damage.CHECKPOINT_FORGED, fork));
            } else if (rootMismatch == null) {
                checkpointsChecked++;
            }
            return;
        }
        if (s < frontier.size()) {
            if (external) {
                throw new IllegalStateException("An external checkpoint of size " + s + " came after the entries passed it.");
            }
            note(new Finding(s, Damage.CHECKPOINT_FORGED, "the log's checkpoint of size " + s
                    + " comes after the entries passed its size: it is not where the log keeps it"));
            return;
        }
        Pending p = pending.get(s);
        if (p == null) {
            pending.put(s, new Pending(root));
        } else if (!MessageDigest.isEqual(p.root, root)) {
            p.forked = true;
            note(new Finding(s, Damage.CHECKPOINT_FORGED, fork));
            return;
        } else {
            p.notes++;
        }
        settle();
    }

    /**
     * Compares the checkpoints of the size the entries reached, once all of them have come (when
     * the next row comes, or at the end), so that the answer does not depend on whether the log's
     * own checkpoint or an external one of that size came first.
     */
    private void reached() {
        long s = frontier.size();
        Pending p = pending.remove(s);
        if (p == null || p.forked) {
            return;
        }
        checkedSize = s;
        checkedRoot = p.root;
        if (MessageDigest.isEqual(p.root, frontier.root())) {
            lastMatched = s;
            checkpointsChecked += p.notes;
        } else {
            rootMismatch = new Finding(lastMatched, Damage.EDITED, "the entries up to " + s + " do not hash to the signed checkpoint of size " + s
                    + " (the last matching one is at " + lastMatched + "): entries in [" + lastMatched + ", " + s
                    + ") were rewritten with consistent hashes");
            mismatchSize = s;
        }
    }

    private void note(Finding f) {
        if (decided == null) {
            early = first(early, f);
            settle();
        }
    }

    /** Makes the earliest finding the answer once nothing still open can come before it. */
    private void settle() {
        if (decided != null || early == null) {
            return;
        }
        // a checkpoint of the size reached, not yet compared, may still point earlier
        long bound = frontier.size() + (pending.containsKey(frontier.size()) ? 0 : 1);
        if (anomaly != null) {
            bound = Math.min(bound, anomaly.row() - 1); // an anomaly may turn out to begin one row earlier
        }
        if (rootMismatch != null) {
            bound = Math.min(bound, rootMismatch.position());
        }
        if (early.position() < bound) {
            decided = early;
        }
    }

    private void decide(Finding local) {
        anomaly = null;
        Finding best = local;
        if (rootMismatch != null && local.position() >= mismatchSize) {
            best = rootMismatch; // the mismatch points earlier; only damage inside the checkpoint's range explains it better
        }
        decided = early != null && early.position() < best.position() ? early : best;
    }

    private static Finding first(Finding a, Finding b) {
        return a == null || (b != null && b.position() < a.position()) ? b : a;
    }

    private void open() {
        if (finished) {
            throw new IllegalStateException("This verifier has finished.");
        }
    }
}
