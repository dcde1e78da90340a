package dev.mamori.audit.proof;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.List;

import dev.mamori.audit.proof.LogVerifier.Damage;
import dev.mamori.audit.proof.LogVerifier.Result;

/**
 * Verifies a log export ({@link ExportWriter}'s lines) with the same {@link LogVerifier} the
 * server runs on its rows, so both give one answer. The keys in the export's header are never
 * trusted: only the keys the caller passes, which it got from elsewhere (the operator's published
 * key, a tenant's records). Every line must be exactly what the writer makes of what was read from
 * it; an entry line whose readable text is not its hashed bytes counts as an edit.
 */
public final class ExportVerifier {
    private ExportVerifier() {
    }

    /** Where lines come from: a reader's, or a byte stream's decoded one line at a time. */
    @FunctionalInterface
    private interface Lines {
        /** @return the next line without its end, null at the end @throws CharacterCodingException if it is not UTF-8 */
        String readLine() throws IOException;
    }

    /**
     * @param export              the export, as characters (if decoded strictly, a malformed byte is
     *                            damage found at or, as a reader decodes ahead, before the line it is in)
     * @param trustedVerifierKeys the keys the log's checkpoints may be signed with (at least one)
     * @param externalNotes       signed checkpoints kept outside the log, which it must still contain
     * @return the answer
     * @throws IOException if the export cannot be read
     */
    public static Result verify(Reader export, List<String> trustedVerifierKeys, List<String> externalNotes) throws IOException {
        BufferedReader in = export instanceof BufferedReader b ? b : new BufferedReader(export);
        return verify(in::readLine, trustedVerifierKeys, externalNotes);
    }

    /**
     * @param export              the export file's bytes; each line is decoded as UTF-8 on its own,
     *                            so a malformed byte is damage found exactly at the line it is in
     * @param trustedVerifierKeys the keys the log's checkpoints may be signed with (at least one)
     * @param externalNotes       signed checkpoints kept outside the log, which it must still contain
     * @return the answer
     * @throws IOException if the export cannot be read
     */
    public static Result verify(InputStream export, List<String> trustedVerifierKeys, List<String> externalNotes) throws IOException {
        return verify(new Utf8Lines(export)::readLine, trustedVerifierKeys, externalNotes);
    }

    private static Result verify(Lines in, List<String> trustedVerifierKeys, List<String> externalNotes) throws IOException {
        if (trustedVerifierKeys == null || trustedVerifierKeys.isEmpty()) {
            throw new IllegalArgumentException("At least one trusted verifier key: an export's own keys prove nothing.");
        }
        ExportLine.Header h;
        LogVerifier v;
        try {
            String first = in.readLine();
            if (first == null) {
                throw new IllegalArgumentException("the export is empty");
            }
            h = ExportLine.header(first);
            v = new LogVerifier(h.log(), h.origin(), trustedVerifierKeys);
        } catch (IllegalArgumentException | CharacterCodingException e) {
            LogVerifier broken = new LogVerifier("unknown", "unknown", trustedVerifierKeys);
            broken.report(0, Damage.EDITED, "the export's first line is not a log header (" + e.getMessage() + "): nothing can be verified");
            return broken.finish(-1);
        }
        try {
            v.start(h.from(), h.peaks());
        } catch (IllegalArgumentException e) {
            v.report(0, Damage.EDITED, "the header's frontier does not fit its start: " + e.getMessage());
            return v.finish(-1);
        }
        for (String note : externalNotes) {
            v.externalCheckpoint(note);
        }
        return read(in, v, h.from());
    }

    private static Result read(Lines in, LogVerifier v, long from) throws IOException {
        long next = from;
        long entries = 0;
        ExportLine.End end = null;
        while (!v.done()) {
            String line;
            try {
                line = in.readLine();
            } catch (CharacterCodingException e) {
                v.report(next, Damage.EDITED, "the export is not UTF-8 after entry " + (next - 1) + ": it was edited");
                break;
            }
            if (line == null) {
                break;
            }
            if (end != null) {
                v.report(next, Damage.INSERTED, "lines follow the export's end line: they were added");
                break;
            }
            if (line.startsWith(ExportLine.ENTRY)) {
                ExportLine.Entry e = ExportLine.entry(line);
                entries++;
                if (e.error() != null) {
                    long at = e.index() >= 0 ? e.index() : next;
                    v.report(at, Damage.EDITED, "the line of entry " + at + " is not what its bytes make: " + e.error());
                    next = Math.max(next, at + 1);
                    continue;
                }
                v.entry(e.index(), e.canonical(), e.leaf());
                next = e.index() + 1;
            } else if (line.startsWith(ExportLine.CHECKPOINT)) {
                checkpoint(line, v, next);
            } else if (line.startsWith(ExportLine.END)) {
                try {
                    end = ExportLine.end(line);
                } catch (IllegalArgumentException e) {
                    v.report(next, Damage.EDITED, "the export's end line is not in its form: " + e.getMessage());
                    break;
                }
                if (end.entries() > entries) {
                    v.report(next, Damage.TRUNCATED, "the export's end counts " + end.entries() + " entries but it holds " + entries
                            + ": entries were removed");
                } else if (end.entries() < entries) {
                    v.report(from + end.entries(), Damage.INSERTED, "the export's end counts " + end.entries() + " entries but it holds "
                            + entries + ": entries were added");
                }
            } else {
                v.report(next, Damage.EDITED, "a line after entry " + (next - 1) + " is no entry, checkpoint or end line");
            }
        }
        if (end == null && !v.done()) {
            v.report(next, Damage.TRUNCATED, "the export has no end line: it was cut after entry " + (next - 1));
        }
        return v.finish(end == null ? -1 : end.size());
    }

    private static void checkpoint(String line, LogVerifier v, long next) {
        ExportLine.CheckpointLine c;
        try {
            c = ExportLine.checkpoint(line);
        } catch (IllegalArgumentException e) {
            v.report(next, Damage.CHECKPOINT_FORGED, "a checkpoint line after entry " + (next - 1) + " is not in its form: " + e.getMessage());
            return;
        }
        long claimed = Checkpoint.claimedSize(c.note());
        if (claimed >= 0 && claimed != c.size()) {
            v.report(Math.min(claimed, c.size()), Damage.CHECKPOINT_FORGED, "the checkpoint line for size " + c.size()
                    + " holds the note of size " + claimed + ": checkpoints were swapped or replaced");
        } else {
            v.checkpoint(c.note());
        }
    }
}
