package dev.mamori.auth.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.time.Instant;
import java.util.Locale;

import dev.mamori.auth.MfaConfirmation;
import dev.mamori.auth.MfaEnrolment;
import dev.mamori.auth.internal.mfa.Totp;

/** What an authenticator app does: read the Base32 secret and compute the code of a time. */
final class TotpSupport {
    private TotpSupport() {
    }

    /** An enrolled secret and the confirmation (new session, recovery codes). */
    record Enrolled(byte[] secret, MfaConfirmation confirmation) {
    }

    /** RFC 4648 Base32, padding optional, as authenticator apps decode it (written here, not the bundle's encoder). */
    static byte[] base32(String s) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : s.toUpperCase(Locale.ROOT).replace("=", "").toCharArray()) {
            int v = alphabet.indexOf(c);
            if (v < 0) {
                throw new IllegalArgumentException("not base32: " + c);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }

    static String code(byte[] secret, Instant at) {
        return Totp.code(secret, Totp.step(at), 6);
    }

    /** Begins and confirms TOTP enrolment for the session, with the code of the fixture's current time. */
    static Enrolled enrol(AuthFixture fx, String token) {
        MfaEnrolment e = AuthFixture.from(AuthFixture.USER_IP, () -> fx.auth.beginTotpEnrolment(token));
        URI uri = URI.create(e.uri());
        assertEquals("otpauth", uri.getScheme());
        assertTrue(uri.getRawQuery().contains("secret=" + e.secret()), e.uri());
        byte[] secret = base32(e.secret());
        assertEquals(Totp.SECRET_BYTES, secret.length);
        MfaConfirmation c = AuthFixture.from(AuthFixture.USER_IP,
                () -> fx.auth.confirmTotpEnrolment(token, code(secret, fx.clock.instant())));
        return new Enrolled(secret, c);
    }
}
