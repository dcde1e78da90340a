package dev.mamori.audit.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.audit.proof.LogVerifier.Damage;
import dev.mamori.audit.proof.LogVerifier.Result;
import dev.mamori.audit.proof.TestLog.Cp;
import dev.mamori.audit.proof.TestLog.Row;

@DisplayName("AUD-3 (issue #16): the log verifier's rules - resuming, key rotation, forks, declared sizes, and damage next to a checkpoint")
class LogVerifierTest {
    private static final int N = 1200;
    private static final TestLog LOG = new TestLog(7, N, 100, 1);

    @Test
    @DisplayName("resumed after a pruned prefix (start(from, peaks)), rows and export give the whole log's root; a wrong peak is found at the first checkpoint")
    void resumed() {
        byte[] whole = MerkleTree.root(LOG.leaves);
        long someCp = LOG.cps.get(3).size();
        for (long from : new long[] {0, 1, 7, someCp, someCp + 1, N - 1, N}) {
            MerkleFrontier f = MerkleFrontier.empty();
            LOG.leaves.subList(0, (int) from).forEach(f::append);
            LogVerifier v = new LogVerifier(LOG.log, LOG.origin, LOG.keys());
            v.start(from, f.peaks());
            List<Row> rest = LOG.rows.subList((int) from, N);
            Result r = TestLog.feed(v, rest, LOG.cps, List.of(LOG.headNote), N);
            assertTrue(r.ok(), from + ": " + r.summary());
            assertArrayEquals(whole, r.root());
            assertEquals(N - from, r.entriesChecked());
            assertEquals(LOG.cps.stream().filter(c -> c.size() >= from).count() + 1, r.checkpointsChecked(), "from " + from);
            Result e = TestLog.verifyExport(LOG.export(from, f.peaks(), rest, LOG.cps, N), List.of(LOG.headNote), LOG.signer.verifierKey());
            assertEquals(r.summary(), e.summary());
        }
        MerkleFrontier wrong = MerkleFrontier.empty();
        LOG.leaves.subList(1, 8).forEach(wrong::append);
        LogVerifier v = new LogVerifier(LOG.log, LOG.origin, LOG.keys());
        v.start(7, wrong.peaks());
        Result r = TestLog.feed(v, LOG.rows.subList(7, N), LOG.cps, List.of(), N);
        assertEquals(Damage.EDITED, r.kind(), r.summary());
        assertEquals(0, r.position());
    }

    @Test
    @DisplayName("a key rotation: checkpoints verify under either of the log's keys; without the old key its checkpoints count as forged")
    void keyRotation() {
        TestLog two = new TestLog(8, 900, 100, 2);
        assertTrue(two.verifyRows(two.rows, two.cps, List.of(two.headNote), 900).ok());
        Result newOnly = two.verifyRows(two.rows, two.cps, List.of(two.headNote), 900, two.signers.get(1).verifierKey());
        assertEquals(Damage.CHECKPOINT_FORGED, newOnly.kind());
        assertEquals(two.cps.get(0).size(), newOnly.position());
        Result oldOnly = two.verifyRows(two.rows, two.cps, List.of(), 900, two.signers.get(0).verifierKey());
        assertEquals(Damage.CHECKPOINT_FORGED, oldOnly.kind());
        // TestLog signs with the second key from entry 450 on
        Cp firstNew = two.cps.stream().filter(c -> c.size() > 450).findFirst().orElseThrow();
        assertEquals(firstNew.size(), oldOnly.position(), oldOnly.summary());
    }

    @Test
    @DisplayName("a checkpoint signed by the log's key for another origin, or two signed roots for one size (a fork), is a forged checkpoint at that size")
    void originAndFork() {
        Cp cp = LOG.cps.get(2);
        String otherOrigin = LOG.signer.sign(new Checkpoint("mamori.local/audit/platform", cp.size(), root(LOG, cp.size()), List.of()));
        List<Cp> cps = new ArrayList<>(LOG.cps);
        cps.set(2, new Cp(cp.size(), otherOrigin));
        Result r = LOG.verifyRows(LOG.rows, cps, List.of(), N);
        assertEquals(Damage.CHECKPOINT_FORGED, r.kind());
        assertEquals(cp.size(), r.position());
        assertTrue(r.message().contains("mamori.local/audit/platform"), r.message());

        String fork = LOG.signer.sign(LOG.checkpoint(cp.size(), root(LOG, cp.size() - 1)));
        Result forked = LOG.verifyRows(LOG.rows, LOG.cps, List.of(fork), N);
        assertEquals(Damage.CHECKPOINT_FORGED, forked.kind(), forked.summary());
        assertEquals(cp.size(), forked.position());
        assertTrue(forked.message().contains("different roots"), forked.message());
    }

    @Test
    @DisplayName("the head's declared size: rows beyond it are inserted at it, fewer rows are a truncation at the row count, an entry appended behind the head is found")
    void declaredSize() {
        Result longer = LOG.verifyRows(LOG.rows, LOG.cps, List.of(), N - 3);
        assertEquals(Damage.INSERTED, longer.kind());
        assertEquals(N - 3, longer.position());
        Result shorter = LOG.verifyRows(LOG.rows, LOG.cps, List.of(), N + 3);
        assertEquals(Damage.TRUNCATED, shorter.kind());
        assertEquals(N, shorter.position());
        List<Row> appended = new ArrayList<>(LOG.rows);
        appended.add(Row.of(N, CanonicalEntry.canonical(LOG.log, N, TestLog.event(new Random(1)))));
        Result behind = LOG.verifyRows(appended, LOG.cps, List.of(), N);
        assertEquals(Damage.INSERTED, behind.kind());
        assertEquals(N, behind.position());
        assertTrue(LOG.verifyRows(LOG.rows, LOG.cps, List.of(), -1).ok());
    }

    @Test
    @DisplayName("an entry inserted right before a checkpoint's size is an insertion there, not an edit of the range the checkpoint covers")
    void insertionNextToCheckpoint() {
        for (Cp cp : List.of(LOG.cps.get(0), LOG.cps.get(4))) {
            int at = (int) cp.size() - 1;
            List<Row> rows = new ArrayList<>();
            for (Row row : LOG.rows) {
                if (row.index() == at) {
                    rows.add(Row.of(at, CanonicalEntry.canonical(LOG.log, at, "{\"forged\":true}")));
                }
                rows.add(row.index() >= at ? new Row(row.index() + 1, row.canonical(), row.stored()) : row);
            }
            Result r = LOG.verifyRows(rows, LOG.cps, List.of(), N);
            assertEquals(Damage.INSERTED, r.kind(), r.summary());
            assertEquals(at, r.position());
        }
        // the same row rewritten in place (no renumbering): the checkpoint shows the range, [last match, size)
        Cp cp = LOG.cps.get(4);
        List<Row> rows = new ArrayList<>(LOG.rows);
        rows.set((int) cp.size() - 1, Row.of(cp.size() - 1, CanonicalEntry.canonical(LOG.log, cp.size() - 1, "{\"forged\":true}")));
        Result r = LOG.verifyRows(rows, LOG.cps, List.of(), N);
        assertEquals(Damage.EDITED, r.kind());
        assertEquals(LOG.cps.get(3).size(), r.position());
        assertTrue(r.message().contains("[" + LOG.cps.get(3).size() + ", " + cp.size() + ")"), r.message());
    }

    @Test
    @DisplayName("checkpoints given all ahead of the rows give the same answers; a forged one far ahead does not hide an earlier edit")
    void checkpointsAhead() {
        assertTrue(allAhead(LOG.rows, LOG.cps).ok());
        List<Cp> swapped = new ArrayList<>(LOG.cps);
        swapped.set(5, new Cp(LOG.cps.get(5).size(), LOG.cps.get(6).note()));
        swapped.set(6, new Cp(LOG.cps.get(6).size(), LOG.cps.get(5).note()));
        Result r = allAhead(LOG.rows, swapped);
        assertEquals(Damage.CHECKPOINT_FORGED, r.kind());
        assertEquals(LOG.cps.get(5).size(), r.position());
        List<Row> edited = new ArrayList<>(LOG.rows);
        edited.set(3, new Row(3, CanonicalEntry.canonical(LOG.log, 3, "{}"), LOG.rows.get(3).stored()));
        Result first = allAhead(edited, swapped);
        assertEquals(Damage.EDITED, first.kind());
        assertEquals(3, first.position());
    }

    @Test
    @DisplayName("a row index seen twice is an insertion; an external checkpoint given after the entries passed it is a caller's mistake")
    void misuseAndRepeats() {
        List<Row> rows = new ArrayList<>(LOG.rows);
        rows.add(11, LOG.rows.get(10));
        Result r = LOG.verifyRows(rows, LOG.cps, List.of(), N);
        assertEquals(Damage.INSERTED, r.kind());
        assertEquals(11, r.position());
        LogVerifier v = new LogVerifier(LOG.log, LOG.origin, LOG.keys());
        for (Row row : LOG.rows.subList(0, 500)) {
            v.entry(row.index(), row.canonical(), row.stored());
        }
        assertThrows(IllegalStateException.class, () -> v.externalCheckpoint(LOG.cps.get(0).note()));
        assertThrows(IllegalStateException.class, () -> v.start(0, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new LogVerifier(LOG.log, LOG.origin, List.of()));
        v.finish(-1);
        assertThrows(IllegalStateException.class, () -> v.finish(-1));
    }

    @Test
    @DisplayName("an empty log is intact with the empty tree's head; entry() says to stop once the answer is known")
    void emptyAndStop() {
        String zero = LOG.signer.sign(LOG.checkpoint(0, MerkleTree.root(List.of())));
        LogVerifier v = new LogVerifier(LOG.log, LOG.origin, LOG.keys());
        v.checkpoint(zero);
        Result r = v.finish(0);
        assertTrue(r.ok(), r.summary());
        assertEquals(1, r.checkpointsChecked());
        assertArrayEquals(MerkleTree.root(List.of()), r.root());

        LogVerifier w = new LogVerifier(LOG.log, LOG.origin, LOG.keys());
        assertTrue(w.entry(0, LOG.rows.get(0).canonical(), LOG.rows.get(0).stored()));
        assertTrue(w.entry(1, LOG.rows.get(0).canonical(), LOG.rows.get(0).stored()), "row 1 holds entry 0: the next row tells what happened");
        assertFalse(w.done());
        assertFalse(w.entry(2, LOG.rows.get(2).canonical(), LOG.rows.get(2).stored()));
        assertTrue(w.done());
        Result copied = w.finish(-1);
        assertEquals(Damage.EDITED, copied.kind(), "the rows after it are in place: row 1 was overwritten");
        assertEquals(1, copied.position());
        assertEquals(1, copied.entriesChecked());
    }

    @Test
    @DisplayName("a note that is no note, or claims a size past any number, is a forged checkpoint where the entries stand")
    void garbageNotes() {
        String huge = LOG.signer.sign("o\n99999999999999999999\nAAAA\n");
        for (String note : List.of("not a note", "", huge)) {
            LogVerifier v = new LogVerifier(LOG.log, LOG.origin, LOG.keys());
            for (Row row : LOG.rows.subList(0, 10)) {
                v.entry(row.index(), row.canonical(), row.stored());
            }
            v.checkpoint(note);
            assertTrue(v.done());
            Result r = v.finish(-1);
            assertEquals(Damage.CHECKPOINT_FORGED, r.kind(), note);
            assertEquals(10, r.position());
        }
    }

    private static Result allAhead(List<Row> rows, List<Cp> cps) {
        LogVerifier v = new LogVerifier(LOG.log, LOG.origin, LOG.keys());
        cps.forEach(c -> v.checkpoint(c.note()));
        return TestLog.feed(v, rows, List.of(), List.of(), N);
    }

    private static byte[] root(TestLog log, long size) {
        return MerkleTree.root(log.leaves.subList(0, (int) size));
    }
}
