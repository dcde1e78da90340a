package dev.mamori.itests;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 TOTP as an authenticator app computes it (HMAC-SHA1, 30 s steps, 6 digits), written
 * independently of the server's code so the tests check interoperability, not the server against itself.
 */
final class TotpCodes {
    static final int PERIOD_SECONDS = 30;

    private TotpCodes() {
    }

    /** @return the time step of an instant */
    static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), PERIOD_SECONDS);
    }

    /** @return the code of one time step, {@code digits} long (6 for Mamori; RFC 6238's vectors use 8) */
    static String code(byte[] key, long step, int digits) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
            int mod = 1;
            for (int i = 0; i < digits; i++) {
                mod *= 10;
            }
            return String.format(Locale.ROOT, "%0" + digits + "d", binary % mod);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String code(byte[] key, long step) {
        return code(key, step, 6);
    }

    /** RFC 4648 base32 (upper case, padding optional), as in otpauth:// URIs. */
    static byte[] base32(String text) {
        String s = text.replace("=", "").replace(" ", "").toUpperCase(Locale.ROOT);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteBuffer out = ByteBuffer.allocate(s.length() * 5 / 8);
        long buffer = 0;
        int bits = 0;
        for (char c : s.toCharArray()) {
            int v = alphabet.indexOf(c);
            if (v < 0) {
                throw new IllegalArgumentException("not base32: " + c);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                out.put((byte) (buffer >> bits));
            }
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }
}
