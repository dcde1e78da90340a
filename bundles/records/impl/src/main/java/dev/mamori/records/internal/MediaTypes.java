package dev.mamori.records.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.mamori.platform.error.MamoriException;
import dev.mamori.records.RecordErrors;

/**
 * Which files may be attached, checked against their first bytes (SEC-3): a declared type must be
 * allowed by the configuration, a binary type must start with its signature, a text type must hold
 * no NUL byte and start with no known binary signature — so a script or an executable renamed
 * {@code .pdf} is refused, whatever its name says.
 */
final class MediaTypes {
    /** Bytes looked at. */
    static final int HEAD = 8192;
    private static final Map<String, byte[]> SIGNATURES = Map.of(
            "application/pdf", "%PDF-".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
            "image/jpeg", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff},
            "image/gif", "GIF8".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            "application/zip", new byte[] {'P', 'K', 3, 4});
    private static final Set<String> TEXT = Set.of("text/plain", "text/csv");
    private static final byte[][] BINARY = {SIGNATURES.get("application/pdf"), SIGNATURES.get("image/png"),
        SIGNATURES.get("image/jpeg"), SIGNATURES.get("application/zip"), {0x7f, 'E', 'L', 'F'}, {'M', 'Z'}, {(byte) 0xca, (byte) 0xfe}};

    private MediaTypes() {
    }

    /** @return the types this code can check; configuration may allow a subset */
    static Set<String> known() {
        java.util.Set<String> all = new java.util.TreeSet<>(SIGNATURES.keySet());
        all.addAll(TEXT);
        return all;
    }

    /** @return the declared type without parameters, lower case */
    static String base(String declared) {
        if (declared == null) {
            return "";
        }
        int semi = declared.indexOf(';');
        return (semi < 0 ? declared : declared.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * @param type    a base type
     * @param allowed the configured types
     * @param head    the content's first bytes (up to {@link #HEAD})
     * @param length  how many of them there are
     */
    static void check(String type, Set<String> allowed, byte[] head, int length) {
        if (!allowed.contains(type)) {
            throw new MamoriException(RecordErrors.INVALID_ATTACHMENT, "Attachments may be " + String.join(", ", new java.util.TreeSet<>(
                    allowed)) + "; send the file with one of these as its Content-Type.");
        }
        byte[] signature = SIGNATURES.get(type);
        if (signature != null && !startsWith(head, length, signature)) {
            throw new MamoriException(RecordErrors.INVALID_ATTACHMENT, "The content is not " + type + " (its first bytes say otherwise).");
        }
        if (TEXT.contains(type)) {
            for (byte[] b : BINARY) {
                if (startsWith(head, length, b)) {
                    throw new MamoriException(RecordErrors.INVALID_ATTACHMENT, "The content is a binary file, not " + type + ".");
                }
            }
            for (int i = 0; i < length; i++) {
                if (head[i] == 0) {
                    throw new MamoriException(RecordErrors.INVALID_ATTACHMENT, "The content is not text (it holds NUL bytes).");
                }
            }
        }
    }

    private static boolean startsWith(byte[] head, int length, byte[] prefix) {
        return length >= prefix.length && Arrays.equals(head, 0, prefix.length, prefix, 0, prefix.length);
    }
}
