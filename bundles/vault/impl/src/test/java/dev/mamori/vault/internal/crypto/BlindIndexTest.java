package dev.mamori.vault.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BlindIndexTest {
    /** 0x00 0x01 ... 0x1f */
    private static final byte[] RAW = new byte[32];
    private static final byte[] TARO = "taro.yamada@example.jp".getBytes(StandardCharsets.UTF_8);

    static {
        for (int i = 0; i < RAW.length; i++) {
            RAW[i] = (byte) i;
        }
    }

    private static byte[] hmac(byte[] key, byte[]... parts) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] p : parts) {
            mac.update(p);
        }
        return mac.doFinal();
    }

    @Test
    @DisplayName("CRY-4: the index subkey is HKDF-Expand-SHA256(DEK, \"mamori blind index v1\"), computed here with javax.crypto")
    void subkeyDerivation() throws Exception {
        DataKey k = DataKey.of(KeyRef.random(), RAW);
        byte[] expected = hmac(RAW, "mamori blind index v1".getBytes(StandardCharsets.US_ASCII), new byte[] {1});
        assertArrayEquals(expected, k.blindIndexKey().getEncoded());
        assertEquals("HmacSHA256", k.blindIndexKey().getAlgorithm());
        assertSame(k.blindIndexKey(), k.blindIndexKey(), "derived once, then kept");
        assertFalse(java.util.Arrays.equals(RAW, k.blindIndexKey().getEncoded()), "not the raw key");
        assertFalse(java.util.Arrays.equals(k.streamKey().getEncoded(), k.blindIndexKey().getEncoded()), "not the stream subkey");
        assertFalse(java.util.Arrays.equals(hmac(RAW, "mamori envelope v2".getBytes(StandardCharsets.US_ASCII), new byte[] {1}),
                k.blindIndexKey().getEncoded()), "not the envelope subkey");
    }

    @Test
    @DisplayName("CRY-4: index = HMAC-SHA256(index subkey, [len(field)]_4 || field || value), computed here with javax.crypto")
    void indexFormat() throws Exception {
        DataKey k = DataKey.of(KeyRef.random(), RAW);
        byte[] sub = hmac(RAW, "mamori blind index v1".getBytes(StandardCharsets.US_ASCII), new byte[] {1});
        byte[] field = "user.email".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = hmac(sub, ByteBuffer.allocate(4).putInt(field.length).array(), field, TARO);
        byte[] index = BlindIndex.of(k, "user.email", TARO);
        assertEquals(BlindIndex.LENGTH, index.length);
        assertArrayEquals(expected, index);
        assertFalse(java.util.Arrays.equals(hmac(sub, field, TARO), index), "the field is length-prefixed");
        assertFalse(java.util.Arrays.equals(hmac(RAW, ByteBuffer.allocate(4).putInt(field.length).array(), field, TARO), index),
                "the raw key is not the HMAC key");
    }

    @Test
    @DisplayName("CRY-4: known answer, computed outside Java (Python hmac/hashlib, RFC 5869 HKDF-Expand), freezes the format")
    void knownAnswer() {
        DataKey k = DataKey.of(KeyRef.random(), RAW);
        assertEquals("475fb9cd3f343e08ef591e60947e646e748fe128efbb4ab5d7f379bd4b2c48d2",
                HexFormat.of().formatHex(k.blindIndexKey().getEncoded()));
        assertEquals("2ed0efa2144043963ca71d437da8d7eb4a6e21e7319f4fba284e18ee0e574b63",
                HexFormat.of().formatHex(BlindIndex.of(k, "user.email", TARO)));
    }

    @Test
    @DisplayName("CRY-4: field and value boundaries cannot be shifted, and the index depends on the key")
    void separation() {
        DataKey k = DataKey.of(KeyRef.random(), RAW);
        assertFalse(java.util.Arrays.equals(BlindIndex.of(k, "ab", "cd".getBytes(StandardCharsets.US_ASCII)),
                BlindIndex.of(k, "abc", "d".getBytes(StandardCharsets.US_ASCII))));
        assertArrayEquals(BlindIndex.of(k, "user.email", TARO), BlindIndex.of(DataKey.of(KeyRef.random(), RAW), "user.email", TARO),
                "the key bytes decide, not the key reference");
        assertFalse(java.util.Arrays.equals(BlindIndex.of(k, "user.email", TARO),
                BlindIndex.of(DataKey.of(KeyRef.random(), Bytes.random(3, 32)), "user.email", TARO)));
        assertThrows(NullPointerException.class, () -> BlindIndex.of(k, "user.email", null));
        assertThrows(NullPointerException.class, () -> BlindIndex.of(k, null, TARO));
        assertThrows(NullPointerException.class, () -> BlindIndex.of(null, "user.email", TARO));
    }
}
