package dev.mamori.audit.proof;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The lines of a log export (JSON Lines, UTF-8), each a JSON object whose members are in RFC 8785
 * (JCS) order and whose strings are escaped as JCS does, so that a verifier can rebuild every line
 * from what it read and demand the very same text. In file order:
 * <ol>
 * <li>{@link #header}: the log, its origin, where the export starts and the frontier there;</li>
 * <li>{@link #entry} per entry, ascending: its canonical bytes in base64 (what is hashed) and the
 * same bytes verbatim (what a person reads);</li>
 * <li>{@link #checkpoint} right after the entry with index size - 1 (right after the header if
 * the size is at most the start);</li>
 * <li>{@link #trailer} last: without it the export was cut.</li>
 * </ol>
 * Each method returns one line without its newline; write {@code '\n'} after each.
 */
public final class ExportWriter {
    private ExportWriter() {
    }

    /**
     * @param log          the log's id
     * @param origin       its checkpoints' origin
     * @param from         the index of the first entry in the export
     * @param peaks        the log's frontier at {@code from} ({@link MerkleFrontier#peaks()})
     * @param verifierKeys the log's verifier keys, for the reader's information (a verifier never trusts them)
     * @return the header line
     */
    public static String header(String log, String origin, long from, List<byte[]> peaks, List<String> verifierKeys) {
        StringBuilder b = new StringBuilder("{\"from\":").append(from).append(",\"kind\":\"log\",\"log\":").append(quote(log))
                .append(",\"origin\":").append(quote(origin)).append(",\"peaks\":[");
        for (int k = 0; k < peaks.size(); k++) {
            b.append(k == 0 ? "" : ",").append('"').append(Base64.getEncoder().encodeToString(peaks.get(k))).append('"');
        }
        b.append("],\"verifierKeys\":[");
        for (int k = 0; k < verifierKeys.size(); k++) {
            b.append(k == 0 ? "" : ",").append(quote(verifierKeys.get(k)));
        }
        return b.append("]}").toString();
    }

    /**
     * @param index     the entry's index
     * @param canonical its canonical bytes (UTF-8 JSON without raw control characters)
     * @return the entry line
     * @throws IllegalArgumentException if the bytes cannot stand verbatim in a line
     */
    public static String entry(long index, byte[] canonical) {
        return entry(index, canonical, MerkleTree.leafHash(canonical));
    }

    /**
     * @param index     the entry's index
     * @param canonical its canonical bytes (UTF-8 JSON without raw control characters)
     * @param leafHash  the leaf hash the log stores for it (so that an edit of the bytes alone is found at its position)
     * @return the entry line
     * @throws IllegalArgumentException if the bytes cannot stand verbatim in a line
     */
    public static String entry(long index, byte[] canonical, byte[] leafHash) {
        if (leafHash == null || leafHash.length != MerkleTree.HASH_SIZE) {
            throw new IllegalArgumentException("A leaf hash is 32 bytes.");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(canonical)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("An entry's canonical bytes are UTF-8.", e);
        }
        if (text.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("An entry's canonical bytes hold no raw control character.");
        }
        return "{\"canonical\":\"" + Base64.getEncoder().encodeToString(canonical) + "\",\"entry\":" + text + ",\"index\":" + index
                + ",\"kind\":\"entry\",\"leaf\":\"" + Base64.getEncoder().encodeToString(leafHash) + "\"}";
    }

    /** @param size the checkpoint's tree size @param note its signed note @return the checkpoint line */
    public static String checkpoint(long size, String note) {
        return "{\"kind\":\"checkpoint\",\"note\":" + quote(note) + ",\"size\":" + size + "}";
    }

    /** @param entries the entry lines written @param size the log's size when exported @return the last line */
    public static String trailer(long entries, long size) {
        return "{\"entries\":" + entries + ",\"kind\":\"end\",\"size\":" + size + "}";
    }

    /** @param s a string @return it as a JSON string the way JCS writes it (only quote, backslash and control characters escaped) */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
