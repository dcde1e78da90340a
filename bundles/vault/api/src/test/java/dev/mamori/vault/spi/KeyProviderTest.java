package dev.mamori.vault.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class KeyProviderTest {
    static final byte[] CONTEXT = {'k', 'e', 'y', '-', '1'};

    @Test
    @DisplayName("CRY-3: a wrapped key is an immutable value: bytes copied in and out, no bytes in toString")
    void wrappedKeyValue() {
        byte[] b = {1, 2, 3};
        WrappedKey w = new WrappedKey("kek-1", b);
        b[0] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, w.bytes());
        w.bytes()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, w.bytes());
        assertEquals(3, w.length());
        assertEquals(new WrappedKey("kek-1", new byte[] {1, 2, 3}), w);
        assertEquals(new WrappedKey("kek-1", new byte[] {1, 2, 3}).hashCode(), w.hashCode());
        assertNotEquals(new WrappedKey("kek-2", new byte[] {1, 2, 3}), w);
        assertEquals("WrappedKey[kek=kek-1, 3 bytes]", w.toString());
        assertThrows(IllegalArgumentException.class, () -> new WrappedKey("", b));
        assertThrows(NullPointerException.class, () -> new WrappedKey(null, b));
        assertThrows(NullPointerException.class, () -> new WrappedKey("k", null));
    }

    @Test
    @DisplayName("CRY-3: the default rewrap unwraps, wraps under the current KEK and clears the clear key")
    void defaultRewrap() {
        List<byte[]> handedOut = new ArrayList<>();
        KeyProvider p = new KeyProvider() {
            String current = "old";

            @Override
            public String id() {
                return "test";
            }

            @Override
            public boolean available() {
                return true;
            }

            @Override
            public String currentKekId() {
                return current;
            }

            @Override
            public WrappedKey wrap(byte[] dek, byte[] context) {
                assertArrayEquals(CONTEXT, context, "the context reaches the provider");
                byte[] x = dek.clone();
                for (int i = 0; i < x.length; i++) {
                    x[i] ^= current.length();
                }
                return new WrappedKey(current, x);
            }

            @Override
            public byte[] unwrap(WrappedKey wrapped, byte[] context) {
                assertArrayEquals(CONTEXT, context, "the context reaches the provider");
                byte[] x = wrapped.bytes();
                for (int i = 0; i < x.length; i++) {
                    x[i] ^= wrapped.kekId().length();
                }
                handedOut.add(x);
                return x;
            }

            @Override
            public String rotate() {
                current = "newer";
                return current;
            }
        };
        WrappedKey old = p.wrap(new byte[] {10, 20}, CONTEXT);
        assertSame(old, p.rewrap(old, CONTEXT), "already current");
        p.rotate();
        WrappedKey re = p.rewrap(old, CONTEXT);
        assertEquals("newer", re.kekId());
        assertArrayEquals(new byte[] {10, 20}, p.unwrap(re, CONTEXT));
        assertFalse(Arrays.equals(new byte[2], handedOut.get(1)));
        assertArrayEquals(new byte[2], handedOut.get(0), "the clear key from the rewrap was cleared");
        assertEquals("vault.key.provider", KeyProvider.PROVIDER_ID);
    }
}
