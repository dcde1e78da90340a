package dev.mamori.vault.internal.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;

import javax.crypto.Mac;

/**
 * A keyed blind index (CRY-4): lets a row be found by a personal value that is stored only
 * encrypted, without the value itself, or an unkeyed hash of it, ever being stored.
 * <pre>
 * index = HMAC-SHA256(index subkey, [len(field)]_4 || field (US-ASCII) || value)     32 bytes
 * index subkey = HKDF-Expand-SHA256(PRK = the tenant's blind-index key, info = "mamori blind index v1", 32)
 * </pre>
 * The field is length-prefixed (4 bytes, big-endian, as in {@link Aad}), so no field/value split
 * gives the bytes of another: ("ab", "cd") and ("abc", "d") differ. The value is last and needs no
 * prefix. The caller normalises the value (an index matches only equal bytes) and checks the field
 * name. A {@link Mac} is not thread-safe and cheap to make next to the HMAC itself, so each call
 * makes its own; the derived subkey is what is kept (in the {@link DataKey}).
 */
public final class BlindIndex {
    /** Length of an index in bytes. */
    public static final int LENGTH = 32;

    private BlindIndex() {
    }

    /**
     * @param indexKey the tenant's blind-index key (never a data or person key)
     * @param field    what the value is, already checked by the caller
     * @param value    the normalised value
     * @return the 32-byte index
     */
    public static byte[] of(DataKey indexKey, String field, byte[] value) {
        Objects.requireNonNull(indexKey, "indexKey");
        byte[] f = Objects.requireNonNull(field, "field").getBytes(StandardCharsets.US_ASCII);
        Objects.requireNonNull(value, "value");
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(indexKey.blindIndexKey());
            mac.update(new byte[] {(byte) (f.length >>> 24), (byte) (f.length >>> 16), (byte) (f.length >>> 8), (byte) f.length});
            mac.update(f);
            mac.update(value);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 not available", e);
        }
    }
}
