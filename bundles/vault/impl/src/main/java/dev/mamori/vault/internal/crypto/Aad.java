package dev.mamori.vault.internal.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Builds associated data that binds a ciphertext to where it belongs, for example
 * {@code Aad.of(tenantId, "person", rowId, "family_name")}. Each part is written with its length,
 * so that no two different lists of parts give the same bytes ({@code ("ab","c")} and
 * {@code ("a","bc")} differ).
 */
public final class Aad {
    private Aad() {
    }

    /**
     * @param parts the parts, none {@code null}
     * @return 4-byte big-endian UTF-8 length followed by the UTF-8 bytes, for each part in order
     */
    public static byte[] of(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        for (String p : parts) {
            byte[] b = Objects.requireNonNull(p, "AAD part").getBytes(StandardCharsets.UTF_8);
            out.write(b.length >>> 24);
            out.write(b.length >>> 16);
            out.write(b.length >>> 8);
            out.write(b.length);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
