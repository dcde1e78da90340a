package dev.mamori.auth.internal.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

/** IAM-11: RFC 6238 TOTP as authenticator apps compute it. */
class TotpTest {
    private static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    @DisplayName("IAM-11: the SHA-1 test vectors of RFC 6238 appendix B")
    void rfc6238Vectors() {
        long[] times = {59L, 1111111109L, 1111111111L, 1234567890L, 2000000000L, 20000000000L};
        String[] codes = {"94287082", "07081804", "14050471", "89005924", "69279037", "65353130"};
        for (int i = 0; i < times.length; i++) {
            assertEquals(codes[i], Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(times[i])), 8), "T=" + times[i]);
            // six digits are the last six of the eight
            assertEquals(codes[i].substring(2), Totp.code(RFC_SECRET, Totp.step(Instant.ofEpochSecond(times[i])), 6));
        }
    }

    @Test
    @DisplayName("IAM-11: a code is accepted one step either side, not two")
    void window() {
        Instant now = Instant.ofEpochSecond(1111111111L);
        long step = Totp.step(now);
        for (long s = step - 1; s <= step + 1; s++) {
            assertEquals(OptionalLong.of(s), Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, s, 6), now, Long.MIN_VALUE));
        }
        assertTrue(Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step - 2, 6), now, Long.MIN_VALUE).isEmpty());
        assertTrue(Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step + 2, 6), now, Long.MIN_VALUE).isEmpty());
    }

    @Test
    @DisplayName("IAM-11: a code is accepted once only, and no older one after it")
    void onceOnly() {
        Instant now = Instant.ofEpochSecond(1234567890L);
        long step = Totp.step(now);
        String code = Totp.code(RFC_SECRET, step, 6);
        long used = Totp.verify(RFC_SECRET, code, now, Long.MIN_VALUE).getAsLong();
        assertTrue(Totp.verify(RFC_SECRET, code, now, used).isEmpty(), "replayed");
        assertTrue(Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step - 1, 6), now, used).isEmpty(), "older step");
        assertEquals(OptionalLong.of(step + 1), Totp.verify(RFC_SECRET, Totp.code(RFC_SECRET, step + 1, 6), now, used));
    }

    @Test
    @DisplayName("IAM-11: malformed codes are refused, spaces are ignored")
    void format() {
        Instant now = Instant.ofEpochSecond(1234567890L);
        String code = Totp.code(RFC_SECRET, Totp.step(now), 6);
        assertTrue(Totp.verify(RFC_SECRET, code.substring(0, 3) + " " + code.substring(3), now, Long.MIN_VALUE).isPresent());
        for (String bad : new String[] {null, "", "12345", "1234567", "abcdef", "-12345", "１２３４５６"}) {
            assertTrue(Totp.verify(RFC_SECRET, bad, now, Long.MIN_VALUE).isEmpty(), String.valueOf(bad));
        }
    }

    @Test
    @DisplayName("IAM-11: the otpauth URI of the Key URI Format, and a QR code that decodes to it")
    void enrolment() throws Exception {
        assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.base32(RFC_SECRET));
        String uri = Totp.otpauthUri("Mamori acme", "taro.yamada", RFC_SECRET);
        assertEquals("otpauth://totp/Mamori%20acme:taro.yamada?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                + "&issuer=Mamori%20acme&algorithm=SHA1&digits=6&period=30", uri);
        byte[] png = QrCode.png(uri);
        assertEquals(0x89, png[0] & 0xff);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(QrCode.SIZE, img.getWidth());
        int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
        String decoded = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
                new RGBLuminanceSource(img.getWidth(), img.getHeight(), px)))).getText();
        assertEquals(uri, decoded);
        assertEquals(20, Totp.newSecret().length);
    }
}
