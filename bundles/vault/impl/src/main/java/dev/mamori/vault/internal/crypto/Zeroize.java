package dev.mamori.vault.internal.crypto;

import java.util.Arrays;

/**
 * Clearing of key material and plaintext copies that this code owns.
 *
 * <p>What the JDK allows, and what it does not: a {@code byte[]} or {@code char[]} we hold can be
 * overwritten, and is. Key objects cannot: JDK 17's {@link javax.crypto.spec.SecretKeySpec}
 * keeps a private copy and does not implement {@code destroy()} (it throws
 * {@code DestroyFailedException}); {@code getEncoded()} returns a fresh copy each time (cleared
 * here after use); the SunJCE AES and HMAC implementations keep expanded round keys and a copy of
 * the last key inside the {@code Cipher}/{@code Mac}; Bouncy Castle's engines keep their round
 * keys. So a clear key lives on in those objects until they are garbage collected or re-keyed;
 * we keep such objects only while a key is in use (a cached data key and its subkeys, a thread's
 * cipher) and never write them anywhere. XAES-256-GCM's derived keys are {@code SecretKeySpec}s
 * too: a thread's {@link DerivedKeyCache} keeps at most 8 with their ciphers, replaced after 60
 * seconds at the thread's next envelope call (re-keying a recycled cipher overwrites the old round
 * keys; an idle thread keeps its last ones, as it keeps its last cipher). Strings are never used
 * for keys or passphrases.
 */
public final class Zeroize {
    private Zeroize() {
    }

    /** @param arrays arrays to overwrite with zeros; {@code null} elements are skipped */
    public static void wipe(byte[]... arrays) {
        for (byte[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, (byte) 0);
            }
        }
    }

    /** @param chars array to overwrite with zeros; may be {@code null} */
    public static void wipe(char[] chars) {
        if (chars != null) {
            Arrays.fill(chars, '\0');
        }
    }
}
