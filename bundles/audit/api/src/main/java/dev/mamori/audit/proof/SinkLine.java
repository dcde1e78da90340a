package dev.mamori.audit.proof;

import java.util.Map;
import java.util.Optional;

/**
 * One checkpoint as a sink outside the database keeps it, one JSON line per checkpoint:
 * {@code {"kind":"checkpoint","log":"<log>","note":"<signed note>","size":<n>}} (JCS member order),
 * read back strictly for verification (a line edited in any way is not read as a checkpoint).
 */
public final class SinkLine {
    /**
     * A kept checkpoint.
     *
     * @param log  the log
     * @param size its tree size
     * @param note the signed note
     */
    public record Note(String log, long size, String note) {
    }

    private SinkLine() {
    }

    /** @param log the log @param size the tree size @param note the signed note @return the line (without newline) */
    public static String write(String log, long size, String note) {
        return "{\"kind\":\"checkpoint\",\"log\":" + ExportWriter.quote(log) + ",\"note\":" + ExportWriter.quote(note) + ",\"size\":" + size
                + "}";
    }

    /** @param line a line of a sink file @return the checkpoint it holds, empty if it is not exactly such a line */
    public static Optional<Note> read(String line) {
        try {
            Map<String, Object> m = ExportLine.flat(line);
            if (!"checkpoint".equals(m.get("kind")) || !(m.get("log") instanceof String) || !(m.get("note") instanceof String)
                    || !(m.get("size") instanceof Long)) {
                return Optional.empty();
            }
            Note n = new Note((String) m.get("log"), (Long) m.get("size"), (String) m.get("note"));
            return write(n.log(), n.size(), n.note()).equals(line) ? Optional.of(n) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
