package dev.mamori.vault.internal.crypto;

import java.util.Random;

/** Test helpers on byte arrays. */
final class Bytes {
    private Bytes() {
    }

    /** @return {@code n} bytes from a seeded generator, reproducible */
    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** @return a copy of {@code b} with bit {@code bit} (0 = lowest bit of byte 0) flipped */
    static byte[] flip(byte[] b, int bit) {
        byte[] c = b.clone();
        c[bit >>> 3] ^= (byte) (1 << (bit & 7));
        return c;
    }

    /** @return whether {@code needle} occurs anywhere in {@code haystack} */
    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** @return the concatenation */
    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    /** @return {@code b[from, to)} */
    static byte[] slice(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }
}
