package dev.mamori.audit.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.audit.proof.LogVerifier.Damage;
import dev.mamori.audit.proof.LogVerifier.Result;
import dev.mamori.audit.proof.TestLog.Signer;

@DisplayName("AUD-3 (issue #16): the export format - exact lines, untrusted header keys, a cut or padded file")
class ExportTest {
    private static final int N = 700;
    private static final TestLog LOG = new TestLog(3, N, 100, 1);

    @Test
    @DisplayName("strings are escaped as JCS does: quote, backslash and control characters only, \\u00xx in lower case; other text stays raw")
    void jcsStrings() {
        assertEquals("\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f\u007f\u2014\u00e9\"", ExportWriter.quote("a\"b\\c\n\t\r\b\f\u0001\u001f\u007f\u2014\u00e9"));
        String line = ExportWriter.checkpoint(42, LOG.cps.get(0).note());
        assertEquals(Map.of("kind", "checkpoint", "note", LOG.cps.get(0).note(), "size", 42L), ExportLine.flat(line));
        assertEquals("{\"entries\":3,\"kind\":\"end\",\"size\":9}", ExportWriter.trailer(3, 9));
        byte[] c = LOG.rows.get(5).canonical();
        assertEquals("{\"canonical\":\"" + java.util.Base64.getEncoder().encodeToString(c) + "\",\"entry\":" + new String(c, StandardCharsets.UTF_8)
                + ",\"index\":5,\"kind\":\"entry\",\"leaf\":\"" + java.util.Base64.getEncoder().encodeToString(MerkleTree.leafHash(c)) + "\"}",
                ExportWriter.entry(5, c));
        assertThrows(IllegalArgumentException.class, () -> ExportWriter.entry(0, "{\"a\":\"\n\"}".getBytes(StandardCharsets.UTF_8)));
        assertThrows(IllegalArgumentException.class, () -> ExportWriter.entry(0, new byte[] {'{', (byte) 0xff, '}'}));
    }

    @Test
    @DisplayName("the line reader takes only the exact form: no spaces, no repeated member, nothing after the object, no bad escape")
    void strictReader() {
        for (String bad : List.of("{\"a\":1 }", "{\"a\":1,\"a\":2}", "{\"a\":1}x", "{\"a\":01}", "{\"a\":\"\\x\"}", "{\"a\":-1}", "{\"a\":\"\n\"}",
                "{\"a\":[\"x\",]}", "{\"a\":1")) {
            assertThrows(IllegalArgumentException.class, () -> ExportLine.flat(bad), bad);
        }
        assertEquals(Map.of("a", List.of("x", "y\""), "b", "\u00e9\n"), ExportLine.flat("{\"a\":[\"x\",\"y\\\"\"],\"b\":\"\\u00e9\\n\"}"));
        String cp = ExportWriter.checkpoint(7, "n");
        assertThrows(IllegalArgumentException.class, () -> ExportLine.checkpoint(cp.replace("\"size\":7", "\"size\": 7")));
        assertThrows(IllegalArgumentException.class, () -> ExportLine.checkpoint("{\"note\":\"n\",\"kind\":\"checkpoint\",\"size\":7}"));
    }

    @Test
    @DisplayName("the header's keys are not trusted: signed by a key the caller does not trust, the first checkpoint is forged")
    void headerKeysUntrusted() {
        List<String> lines = LOG.export();
        assertTrue(lines.get(0).contains(LOG.signer.verifierKey()));
        Signer other = Signer.create(LOG.origin);
        Result r = TestLog.verifyExport(lines, List.of(), other.verifierKey());
        assertEquals(Damage.CHECKPOINT_FORGED, r.kind());
        assertEquals(LOG.cps.get(0).size(), r.position());
        Result both = TestLog.verifyExport(lines, List.of(), other.verifierKey(), LOG.signer.verifierKey());
        assertTrue(both.ok(), both.summary());
        assertArrayEquals(MerkleTree.root(LOG.leaves), both.root());
        assertThrows(IllegalArgumentException.class, () -> TestLog.verifyExport(lines, List.of()));
    }

    @Test
    @DisplayName("an export cut before its end line, with lines after it, or whose end miscounts is damaged at the entry count")
    void cutAndPadded() {
        List<String> lines = LOG.export();
        String key = LOG.signer.verifierKey();
        Result cut = TestLog.verifyExport(lines.subList(0, lines.size() - 1), List.of(), key);
        assertEquals(Damage.TRUNCATED, cut.kind());
        assertEquals(N, cut.position());
        List<String> cutMore = new ArrayList<>(lines.subList(0, lines.size() - 40));
        Result cutEarly = TestLog.verifyExport(cutMore, List.of(), key);
        assertEquals(Damage.TRUNCATED, cutEarly.kind());
        assertTrue(cutEarly.position() < N);
        List<String> padded = new ArrayList<>(lines);
        padded.add(ExportWriter.entry(N, CanonicalEntry.canonical(LOG.log, N, "{}")));
        Result pad = TestLog.verifyExport(padded, List.of(), key);
        assertEquals(Damage.INSERTED, pad.kind());
        assertEquals(N, pad.position());
        List<String> miscounted = new ArrayList<>(lines);
        miscounted.set(lines.size() - 1, ExportWriter.trailer(N + 1, N + 1));
        assertEquals(Damage.TRUNCATED, TestLog.verifyExport(miscounted, List.of(), key).kind());
        miscounted.set(lines.size() - 1, ExportWriter.trailer(N - 1, N - 1));
        Result fewer = TestLog.verifyExport(miscounted, List.of(), key);
        assertEquals(Damage.INSERTED, fewer.kind());
        assertEquals(N - 1, fewer.position());
    }

    @Test
    @DisplayName("a header out of form, an entry line with other spacing, and a checkpoint line holding another size's note are found")
    void linesOutOfForm() {
        List<String> lines = LOG.export();
        String key = LOG.signer.verifierKey();
        List<String> header = new ArrayList<>(lines);
        header.set(0, header.get(0).replace("{\"from\":0", "{\"from\": 0"));
        Result h = TestLog.verifyExport(header, List.of(), key);
        assertEquals("DAMAGED unknown at 0: EDITED", h.summary().substring(0, h.summary().indexOf(" - ")));

        List<String> spaced = new ArrayList<>(lines);
        int at = lineOf(lines, 100);
        spaced.set(at, spaced.get(at).replace(",\"index\":100,", ", \"index\":100,"));
        Result s = TestLog.verifyExport(spaced, List.of(), key);
        assertEquals(Damage.EDITED, s.kind());
        assertEquals(100, s.position());

        List<String> moved = new ArrayList<>(lines);
        long size = LOG.cps.get(2).size();
        int cpAt = moved.indexOf(ExportWriter.checkpoint(size, LOG.cps.get(2).note()));
        moved.set(cpAt, ExportWriter.checkpoint(size, LOG.cps.get(4).note()));
        Result m = TestLog.verifyExport(moved, List.of(), key);
        assertEquals(Damage.CHECKPOINT_FORGED, m.kind());
        assertEquals(size, m.position());
    }

    @Test
    @DisplayName("bytes that are not UTF-8 in the file are an edit where they stand, not a crash")
    void notUtf8() throws Exception {
        List<String> lines = LOG.export();
        byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        int at = new String(text, StandardCharsets.ISO_8859_1).indexOf("\u00c3\u00a9", new String(text, StandardCharsets.ISO_8859_1).indexOf(",\"index\":300,"));
        text[at] = (byte) 0xff;
        Result r = ExportVerifier.verify(new ByteArrayInputStream(text), List.of(LOG.signer.verifierKey()), List.of());
        assertEquals(Damage.EDITED, r.kind(), r.summary());
        assertEquals(301, r.position(), "the line after entry 300 is where the bad byte stands");
        // a strict reader decodes ahead: the same damage, found at or before that line
        Result read = ExportVerifier.verify(new InputStreamReader(new ByteArrayInputStream(text), StandardCharsets.UTF_8.newDecoder()),
                List.of(LOG.signer.verifierKey()), List.of());
        assertEquals(Damage.EDITED, read.kind(), read.summary());
        assertTrue(read.position() <= 301);
        // the same bytes, valid, read the same way through both
        byte[] good = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        assertEquals(ExportVerifier.verify(new ByteArrayInputStream(good), List.of(LOG.signer.verifierKey()), List.of()).summary(),
                TestLog.verifyExport(lines, List.of(), LOG.signer.verifierKey()).summary());
    }

    private static int lineOf(List<String> lines, long index) {
        for (int k = 1; k < lines.size(); k++) {
            if (lines.get(k).startsWith(ExportLine.ENTRY) && ExportLine.entry(lines.get(k)).index() == index) {
                return k;
            }
        }
        throw new IllegalArgumentException("no entry " + index);
    }

    @Test
    @DisplayName("an export whose last entries no trusted checkpoint covers is not OK: a cut or rewritten tail, or a made-up prefix, is UNSIGNED")
    void unsignedTail() {
        List<String> lines = new java.util.ArrayList<>(LOG.export());
        // drop the final checkpoint (over all N entries) and keep the trailer: the tail after the one before is unsigned
        int last = -1;
        for (int k = 0; k < lines.size(); k++) {
            if (lines.get(k).startsWith(ExportLine.CHECKPOINT)) {
                last = k;
            }
        }
        lines.remove(last);
        Result r = TestLog.verifyExport(lines, List.of(), LOG.signer.verifierKey());
        assertEquals(Damage.UNSIGNED, r.kind(), r.summary());
        assertEquals(LOG.cps.get(LOG.cps.size() - 2).size(), r.position());
        // a made-up export: a pruned prefix of 2^40 entries (one arbitrary peak), entries of the attacker's, no checkpoint
        long from = 1L << 40;
        List<String> fake = new java.util.ArrayList<>();
        fake.add(ExportWriter.header(LOG.log, LOG.origin, from, List.of(new byte[32]), List.of(LOG.signer.verifierKey())));
        fake.add(ExportWriter.entry(from, CanonicalEntry.canonical(LOG.log, from, "{\"made\":\"up\"}")));
        fake.add(ExportWriter.trailer(1, from + 1));
        Result f = TestLog.verifyExport(fake, List.of(LOG.headNote), LOG.signer.verifierKey());
        assertEquals(Damage.UNSIGNED, f.kind(), f.summary());
    }
}
