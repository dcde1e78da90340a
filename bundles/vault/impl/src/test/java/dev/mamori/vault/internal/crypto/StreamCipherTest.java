package dev.mamori.vault.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.UnknownKeyException;

class StreamCipherTest {
    private static final byte[] RAW = Bytes.random(21, 32);
    private static final DataKey KEY = DataKey.of(new KeyRef(UUID.randomUUID(), 2), RAW);
    private static final byte[] AAD = Aad.of("tenant-a", "attachment", "0f1e2d3c");
    private static final int K = 1024;
    private static final int H = StreamCipher.HEADER_LENGTH;
    private static final int T = StreamCipher.TAG_LENGTH;

    // ---- round trips -------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 15, 16, 17, 65535, 65536, 65537, 131072, 3 * 1048576 + 77, 8 * 1048576})
    @DisplayName("CRY-2: streaming round trip with 64 KiB chunks for many sizes, in several write and read patterns")
    void roundTrip(int size) throws IOException {
        byte[] pt = Bytes.random(size, size);
        byte[] one = encrypt(pt, StreamCipher.DEFAULT_CHUNK_SIZE, size + 1);
        assertEquals(StreamCipher.ciphertextLength(size, StreamCipher.DEFAULT_CHUNK_SIZE), one.length);
        assertArrayEquals(pt, decrypt(one));
        byte[] sixteenK = encrypt(pt, StreamCipher.DEFAULT_CHUNK_SIZE, 16 * K);
        assertEquals(one.length, sixteenK.length);
        assertArrayEquals(pt, decrypt(sixteenK));
        assertArrayEquals(pt, decryptInPieces(sixteenK, 4093));
        if (size <= 65537) {
            assertArrayEquals(pt, decryptByteByByte(encryptByteByByte(pt)));
        }
    }

    @Test
    @DisplayName("CRY-2: random write sizes, random read sizes, every chunk size from 1 KiB to 1 MiB")
    void randomPatterns() throws IOException {
        Random r = new Random(5);
        for (int log2 = 10; log2 <= 20; log2++) {
            int chunk = 1 << log2;
            for (int size : new int[] {0, chunk - 1, chunk, chunk + 1, 3 * chunk, 3 * chunk + r.nextInt(chunk)}) {
                byte[] pt = Bytes.random(size * 31L + log2, size);
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                try (OutputStream out = StreamCipher.encrypt(KEY, sink, AAD, chunk)) {
                    int off = 0;
                    while (off < size) {
                        int n = Math.min(size - off, r.nextInt(3 * chunk) + 1);
                        out.write(pt, off, n);
                        off += n;
                    }
                }
                byte[] ct = sink.toByteArray();
                assertEquals(StreamCipher.ciphertextLength(size, chunk), ct.length, "chunk " + chunk + " size " + size);
                assertArrayEquals(pt, decryptInPieces(ct, r.nextInt(2 * chunk) + 1));
            }
        }
    }

    @Test
    @DisplayName("CRY-2: the v2 layout is as documented: header fields, per-stream key by SP 800-108 HMAC-SHA256 under the stream subkey, chunk nonce prefix||index||last, AAD header||caller AAD")
    void layoutMatchesSpecification() throws Exception {
        byte[] pt = Bytes.random(3, 2 * K + 10);
        byte[] ct = encrypt(pt, K, pt.length);
        assertEquals('M', ct[0]);
        assertEquals('V', ct[1]);
        assertEquals('S', ct[2]);
        assertEquals(2, ct[3]);
        ByteBuffer b = ByteBuffer.wrap(ct, 4, 20);
        assertEquals(KEY.ref().keyId(), new UUID(b.getLong(), b.getLong()));
        assertEquals(2, b.getInt());
        assertEquals(10, ct[24]);
        byte[] header = Bytes.slice(ct, 0, H);
        assertArrayEquals(pt, decryptByHand(ct, hmac(streamSubkey(), "mamori vault stream v2", header), K));
        // key separation: the v1 derivation from the raw key does not open a v2 stream
        assertThrows(AEADBadTagException.class, () -> decryptByHand(ct, hmac(RAW, "mamori vault stream v2", header), K));
        assertThrows(AEADBadTagException.class, () -> decryptByHand(ct, hmac(RAW, "mamori vault stream v1", header), K));
    }

    /** HKDF-Expand-SHA256(DEK, "mamori stream v2", 32), computed here independently of DataKey. */
    private static byte[] streamSubkey() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(RAW, "HmacSHA256"));
        return mac.doFinal(Bytes.concat("mamori stream v2".getBytes(StandardCharsets.US_ASCII), new byte[] {1}));
    }

    /** The per-stream key: HMAC-SHA256(k, [1]_4 || label || 0x00 || header || [256]_4). */
    private static byte[] hmac(byte[] k, String label, byte[] header) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(k, "HmacSHA256"));
        return mac.doFinal(Bytes.concat(new byte[] {0, 0, 0, 1}, label.getBytes(StandardCharsets.US_ASCII),
                new byte[] {0}, header, new byte[] {0, 0, 1, 0}));
    }

    /** Decrypts a whole stream with plain JCE, following the documented layout. */
    private static byte[] decryptByHand(byte[] ct, byte[] streamKey, int chunk) throws Exception {
        byte[] header = Bytes.slice(ct, 0, H);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        int off = H;
        for (int i = 0; off < ct.length; i++) {
            boolean last = ct.length - off <= chunk + T;
            int segLen = last ? ct.length - off : chunk + T;
            byte[] nonce = Bytes.concat(Bytes.slice(header, 41, 48), ByteBuffer.allocate(4).putInt(i).array(), new byte[] {(byte) (last ? 1 : 0)});
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(streamKey, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(Bytes.concat(header, AAD));
            plain.write(c.doFinal(ct, off, segLen));
            off += segLen;
        }
        return plain.toByteArray();
    }

    /** A stream in format version 1 as written before this version, built with plain JCE: per-stream key from the raw key. */
    private static byte[] v1Stream(byte[] pt, int chunk) throws Exception {
        byte[] header = new byte[H];
        header[0] = 'M';
        header[1] = 'V';
        header[2] = 'S';
        header[3] = 1;
        ByteBuffer.wrap(header, 4, 20).putLong(KEY.ref().keyId().getMostSignificantBits())
                .putLong(KEY.ref().keyId().getLeastSignificantBits()).putInt(KEY.ref().version());
        header[24] = (byte) Integer.numberOfTrailingZeros(chunk);
        System.arraycopy(Bytes.random(pt.length + 7L, 23), 0, header, 25, 23);
        byte[] streamKey = hmac(RAW, "mamori vault stream v1", header);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header);
        int chunks = pt.length == 0 ? 1 : (pt.length + chunk - 1) / chunk;
        for (int i = 0; i < chunks; i++) {
            boolean last = i == chunks - 1;
            byte[] nonce = Bytes.concat(Bytes.slice(header, 41, 48), ByteBuffer.allocate(4).putInt(i).array(), new byte[] {(byte) (last ? 1 : 0)});
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(streamKey, "AES"), new GCMParameterSpec(128, nonce));
            c.updateAAD(Bytes.concat(header, AAD));
            out.write(c.doFinal(pt, i * chunk, Math.min(chunk, pt.length - i * chunk)));
        }
        return out.toByteArray();
    }

    @Test
    @DisplayName("CRY-2: format version 1 streams (per-stream key from the raw data key) still decrypt, and tampering is still caught")
    void version1StillDecrypts() throws Exception {
        for (int size : new int[] {0, 10, K, 3 * K + 5}) {
            byte[] pt = Bytes.random(size, size);
            byte[] v1 = v1Stream(pt, K);
            assertEquals(StreamCipher.ciphertextLength(size, K), v1.length);
            assertArrayEquals(pt, decrypt(v1));
            assertArrayEquals(pt, decryptInPieces(v1, 77));
            assertRejected(Bytes.flip(v1, 8 * (v1.length - 1)), "v1 tag flip, size " + size);
            assertRejected(Bytes.slice(v1, 0, v1.length - 1), "v1 truncated, size " + size);
        }
        byte[] v1 = v1Stream(PT5, K);
        List<byte[]> segs = segments(v1, K);
        List<byte[]> swapped = new ArrayList<>(segs);
        swapped.set(0, segs.get(1));
        swapped.set(1, segs.get(0));
        assertRejected(assemble(Bytes.slice(v1, 0, H), swapped), "v1 chunks swapped");
    }

    @Test
    @DisplayName("CRY-2: a v2 stream relabelled as v1 and a v1 stream relabelled as v2 are rejected (no downgrade)")
    void versionRelabelRejected() throws Exception {
        byte[] v2 = encrypt(PT5, K, PT5.length);
        byte[] asV1 = v2.clone();
        asV1[3] = 1;
        assertRejected(asV1, "v2 read as v1");
        byte[] v1 = v1Stream(PT5, K);
        byte[] asV2 = v1.clone();
        asV2[3] = 2;
        assertRejected(asV2, "v1 read as v2");
    }

    // ---- tampering with chunks ---------------------------------------------------------------

    /** Plaintext of 4 full 1 KiB chunks and a 100-byte last chunk. */
    private static final byte[] PT5 = Bytes.random(77, 4 * K + 100);

    private static List<byte[]> segments(byte[] ct, int chunk) {
        List<byte[]> segs = new ArrayList<>();
        for (int off = H; off < ct.length; off += chunk + T) {
            segs.add(Bytes.slice(ct, off, Math.min(ct.length, off + chunk + T)));
        }
        return segs;
    }

    private static byte[] assemble(byte[] header, List<byte[]> segs) {
        List<byte[]> all = new ArrayList<>();
        all.add(header);
        all.addAll(segs);
        return Bytes.concat(all.toArray(new byte[0][]));
    }

    @Test
    @DisplayName("CRY-2: swapping any two chunks is rejected")
    void reorder() throws IOException {
        byte[] ct = encrypt(PT5, K, PT5.length);
        byte[] header = Bytes.slice(ct, 0, H);
        List<byte[]> segs = segments(ct, K);
        assertEquals(5, segs.size());
        for (int i = 0; i < 4; i++) {
            for (int j = i + 1; j < 4; j++) {
                List<byte[]> s = new ArrayList<>(segs);
                s.set(i, segs.get(j));
                s.set(j, segs.get(i));
                assertRejected(assemble(header, s), "swap " + i + "," + j);
            }
        }
    }

    @Test
    @DisplayName("CRY-2: dropping any chunk is rejected (a dropped last chunk is a truncation)")
    void drop() {
        byte[] ct = encrypt(PT5, K, PT5.length);
        byte[] header = Bytes.slice(ct, 0, H);
        List<byte[]> segs = segments(ct, K);
        for (int i = 0; i < segs.size(); i++) {
            List<byte[]> s = new ArrayList<>(segs);
            s.remove(i);
            assertRejected(assemble(header, s), "drop " + i);
        }
    }

    @Test
    @DisplayName("CRY-2: duplicating any chunk, in place or at the end, is rejected")
    void duplicate() {
        byte[] ct = encrypt(PT5, K, PT5.length);
        byte[] header = Bytes.slice(ct, 0, H);
        List<byte[]> segs = segments(ct, K);
        for (int i = 0; i < segs.size(); i++) {
            List<byte[]> s = new ArrayList<>(segs);
            s.add(i, segs.get(i));
            assertRejected(assemble(header, s), "duplicate " + i);
            List<byte[]> t = new ArrayList<>(segs);
            t.add(segs.get(i));
            assertRejected(assemble(header, t), "append copy of " + i);
        }
    }

    @Test
    @DisplayName("CRY-2: truncation at every length (in the header, mid-chunk, at chunk boundaries) is rejected at EOF")
    void truncateEverywhere() {
        byte[] ct = encrypt(PT5, K, PT5.length);
        for (int n = 0; n < ct.length; n++) {
            assertRejected(Bytes.slice(ct, 0, n), "length " + n);
        }
    }

    @Test
    @DisplayName("CRY-2: a stream cut exactly after a full chunk reads that chunk, then fails instead of reporting EOF")
    void truncationAtBoundaryFailsAtEof() throws IOException {
        byte[] pt = Bytes.random(8, 3 * K);
        byte[] ct = encrypt(pt, K, pt.length);
        byte[] cut = Bytes.slice(ct, 0, H + 2 * (K + T));
        InputStream in = StreamCipher.decrypt(KEY, new ByteArrayInputStream(cut), AAD);
        byte[] first = in.readNBytes(K);
        assertArrayEquals(Bytes.slice(pt, 0, K), first);
        // chunk 1 is now the last in the source but not marked last: rejected, no -1
        assertThrows(DecryptionFailedException.class, () -> in.read(new byte[10]));
        assertThrows(DecryptionFailedException.class, in::read);
    }

    @Test
    @DisplayName("CRY-2: trailing garbage of any length after the last chunk is rejected")
    void trailingGarbage() {
        byte[] ct = encrypt(PT5, K, PT5.length);
        for (int n : new int[] {1, 15, 16, 17, K, K + T, K + T + 1}) {
            assertRejected(Bytes.concat(ct, Bytes.random(n, n)), n + " extra bytes");
        }
        byte[] fullLast = encrypt(Bytes.random(1, 2 * K), K, 2 * K);
        assertRejected(Bytes.concat(fullLast, new byte[1]), "one byte after a full last chunk");
    }

    @Test
    @DisplayName("CRY-2: a chunk spliced in from another stream under the same key and AAD is rejected")
    void splice() {
        byte[] a = encrypt(PT5, K, PT5.length);
        byte[] b = encrypt(PT5, K, PT5.length);
        assertFalse(Arrays.equals(a, b), "each stream has its own salt and prefix");
        List<byte[]> sa = segments(a, K);
        List<byte[]> sb = segments(b, K);
        for (int i = 0; i < sa.size(); i++) {
            List<byte[]> s = new ArrayList<>(sa);
            s.set(i, sb.get(i));
            assertRejected(assemble(Bytes.slice(a, 0, H), s), "chunk " + i + " from another stream");
        }
        assertRejected(assemble(Bytes.slice(b, 0, H), sa), "header of another stream");
    }

    @Test
    @DisplayName("CRY-2: a stream moved to another attachment or tenant (other AAD) is rejected at the first read")
    void otherAad() throws IOException {
        byte[] ct = encrypt(PT5, K, PT5.length);
        for (byte[] other : List.of(Aad.of("tenant-b", "attachment", "0f1e2d3c"), Aad.of("tenant-a", "attachment", "0f1e2d3d"), new byte[0])) {
            InputStream in = StreamCipher.decrypt(KEY, new ByteArrayInputStream(ct), other);
            byte[] buf = new byte[64];
            assertThrows(DecryptionFailedException.class, () -> in.read(buf));
            assertArrayEquals(new byte[64], buf, "nothing released");
        }
    }

    @Test
    @DisplayName("CRY-2: no plaintext of a chunk is released before its tag is verified; verified chunks before it are")
    void noUnverifiedPlaintext() throws IOException {
        byte[] ct = encrypt(PT5, K, PT5.length);
        // damage the tag of chunk 2: the last byte of its segment
        int chunk2End = H + 3 * (K + T) - 1;
        byte[] bad = ct.clone();
        bad[chunk2End] ^= 1;
        InputStream in = StreamCipher.decrypt(KEY, new ByteArrayInputStream(bad), AAD);
        assertArrayEquals(Bytes.slice(PT5, 0, 2 * K), in.readNBytes(2 * K));
        byte[] buf = new byte[K];
        assertThrows(DecryptionFailedException.class, () -> in.read(buf, 0, K));
        assertArrayEquals(new byte[K], buf, "chunk 2's plaintext must not reach the caller");
        assertEquals(0, in.available());
        assertThrows(DecryptionFailedException.class, () -> in.read(buf), "a failed stream stays failed");
    }

    @Test
    @DisplayName("CRY-2: the wrong key, another key reference or an unknown key are refused")
    void keys() throws IOException {
        byte[] ct = encrypt(PT5, K, PT5.length);
        DataKey other = DataKey.of(KEY.ref(), Bytes.random(99, 32));
        InputStream in = StreamCipher.decrypt(other, new ByteArrayInputStream(ct), AAD);
        assertThrows(DecryptionFailedException.class, in::read);
        assertThrows(DecryptionFailedException.class,
                () -> StreamCipher.decrypt(DataKey.of(KEY.ref().next(), RAW), new ByteArrayInputStream(ct), AAD));
        assertThrows(UnknownKeyException.class, () -> StreamCipher.decrypt(ref -> {
            throw new UnknownKeyException("none");
        }, new ByteArrayInputStream(ct), AAD));
        KeyRef[] asked = new KeyRef[1];
        StreamCipher.DecryptingInputStream ok = StreamCipher.decrypt(ref -> {
            asked[0] = ref;
            return KEY;
        }, new ByteArrayInputStream(ct), AAD);
        assertEquals(KEY.ref(), asked[0]);
        assertEquals(KEY.ref(), ok.key());
        assertArrayEquals(PT5, ok.readAllBytes());
    }

    @Test
    @DisplayName("CRY-2: malformed headers are refused before any key lookup")
    void malformedHeader() {
        byte[] ct = encrypt(new byte[10], K, 10);
        AtomicBoolean looked = new AtomicBoolean();
        KeyResolver spy = ref -> {
            looked.set(true);
            return KEY;
        };
        for (int[] change : new int[][] {{0, 'X'}, {3, 0}, {3, 3}, {24, 9}, {24, 21}, {20, 0x80}}) {
            byte[] bad = ct.clone();
            bad[change[0]] = (byte) change[1];
            assertThrows(DecryptionFailedException.class, () -> StreamCipher.decrypt(spy, new ByteArrayInputStream(bad), AAD));
        }
        assertThrows(DecryptionFailedException.class, () -> StreamCipher.decrypt(spy, new ByteArrayInputStream(new byte[H - 1]), AAD));
        assertFalse(looked.get());
    }

    @Test
    @DisplayName("CRY-2: salts and nonce prefixes are unique over 20,000 streams")
    void headersUnique() throws IOException {
        Set<ByteBuffer> seen = new HashSet<>();
        Set<ByteBuffer> prefixes = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            StreamCipher.encrypt(KEY, sink, AAD, K).close();
            byte[] h = sink.toByteArray();
            assertTrue(seen.add(ByteBuffer.wrap(Bytes.slice(h, 25, 41))), "salt repeated");
            assertTrue(prefixes.add(ByteBuffer.wrap(Bytes.slice(h, 41, 48))), "prefix repeated");
        }
    }

    @Test
    @DisplayName("CRY-2: the ciphertext holds neither the plaintext nor the data key")
    void noPlaintextInStream() {
        byte[] pt = new byte[3 * K];
        Arrays.fill(pt, (byte) 'A');
        byte[] ct = encrypt(pt, K, pt.length);
        assertFalse(Bytes.contains(ct, Bytes.slice(pt, 0, 8)));
        assertFalse(Bytes.contains(ct, Bytes.slice(RAW, 0, 8)));
    }

    // ---- stream mechanics --------------------------------------------------------------------

    @Test
    @DisplayName("CRY-2: finish() completes the ciphertext and leaves the sink open; close() closes it; writes after either fail")
    void finishAndClose() throws IOException {
        AtomicBoolean sinkClosed = new AtomicBoolean();
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                sinkClosed.set(true);
            }
        };
        StreamCipher.EncryptingOutputStream out = StreamCipher.encrypt(KEY, sink, AAD, K);
        assertEquals(H, sink.size(), "header written at once");
        assertEquals(KEY.ref(), out.key());
        out.write(new byte[] {1, 2, 3});
        out.flush();
        out.finish();
        out.finish();
        assertFalse(sinkClosed.get());
        sink.write(new byte[] {9}); // the caller may go on using the sink
        assertArrayEquals(new byte[] {1, 2, 3}, decrypt(Bytes.slice(sink.toByteArray(), 0, sink.size() - 1)));
        assertThrows(IOException.class, () -> out.write(1));
        out.close();
        out.close();
        assertTrue(sinkClosed.get());
        assertThrows(IOException.class, () -> out.write(new byte[1]));
    }

    @Test
    @DisplayName("CRY-2: a sink failure breaks the stream: later writes fail and close() does not write a last chunk")
    void sinkFailure() throws IOException {
        int[] writes = {0};
        OutputStream failing = new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (++writes[0] > 2) {
                    throw new IOException("disk full");
                }
            }
        };
        StreamCipher.EncryptingOutputStream out = StreamCipher.encrypt(KEY, failing, AAD, K);
        out.write(new byte[K + 1]); // header + chunk 0
        assertThrows(IOException.class, () -> out.write(new byte[K])); // chunk 1 fails
        assertThrows(IOException.class, () -> out.write(1));
        out.close();
        assertEquals(3, writes[0]);
    }

    @Test
    @DisplayName("CRY-2: closing the decrypting stream closes the source; reads after close fail")
    void decryptClose() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream src = new FilterInputStream(new ByteArrayInputStream(encrypt(PT5, K, 100))) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        InputStream in = StreamCipher.decrypt(KEY, src, AAD);
        assertEquals(PT5[0] & 0xff, in.read());
        in.close();
        assertTrue(closed.get());
        assertThrows(IOException.class, in::read);
    }

    @Test
    @DisplayName("CRY-2: an I/O error of the source is passed on as is, and the stream does not resume out of step")
    void sourceIoError() throws IOException {
        byte[] ct = encrypt(PT5, K, PT5.length);
        int[] calls = {0};
        InputStream flaky = new FilterInputStream(new ByteArrayInputStream(ct)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (++calls[0] == 3) {
                    throw new IOException("connection reset");
                }
                return super.read(b, off, Math.min(len, 700));
            }
        };
        InputStream in = StreamCipher.decrypt(KEY, flaky, AAD);
        IOException e = assertThrows(IOException.class, () -> in.readAllBytes());
        assertEquals("connection reset", e.getMessage());
        assertThrows(IOException.class, in::read);
    }

    @Test
    @DisplayName("CRY-2: a source that returns a byte at a time decrypts the same")
    void tricklingSource() throws IOException {
        byte[] ct = encrypt(PT5, K, 333);
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(ct)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        assertArrayEquals(PT5, StreamCipher.decrypt(KEY, trickle, AAD).readAllBytes());
    }

    @Test
    @DisplayName("CRY-2: chunk sizes outside 1 KiB..1 MiB or not a power of two are refused")
    void chunkSizes() {
        for (int bad : new int[] {0, 512, 1000, 3000, 1 << 21}) {
            assertThrows(IllegalArgumentException.class, () -> StreamCipher.encrypt(KEY, new ByteArrayOutputStream(), AAD, bad));
        }
        assertEquals(H + T, StreamCipher.ciphertextLength(0, K));
        assertEquals(H + K + T, StreamCipher.ciphertextLength(K, K));
        assertEquals(H + K + 1 + 2 * T, StreamCipher.ciphertextLength(K + 1, K));
    }

    @Test
    @DisplayName("CRY-2: equal plaintexts encrypt to different streams")
    void probabilistic() {
        assertNotEquals(ByteBuffer.wrap(encrypt(PT5, K, 100)), ByteBuffer.wrap(encrypt(PT5, K, 100)));
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static void assertRejected(byte[] ct, String what) {
        assertThrows(DecryptionFailedException.class, () -> decrypt(ct), what);
    }

    private static byte[] encrypt(byte[] pt, int chunk, int writeSize) {
        try {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            try (OutputStream out = StreamCipher.encrypt(KEY, sink, AAD, chunk)) {
                for (int off = 0; off < pt.length; off += writeSize) {
                    out.write(pt, off, Math.min(writeSize, pt.length - off));
                }
            }
            return sink.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] encryptByteByByte(byte[] pt) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = StreamCipher.encrypt(KEY, sink, AAD)) {
            for (byte b : pt) {
                out.write(b);
            }
        }
        return sink.toByteArray();
    }

    private static byte[] decrypt(byte[] ct) throws IOException {
        try (InputStream in = StreamCipher.decrypt(KEY, new ByteArrayInputStream(ct), AAD)) {
            return in.readAllBytes();
        }
    }

    private static byte[] decryptInPieces(byte[] ct, int piece) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = StreamCipher.decrypt(KEY, new ByteArrayInputStream(ct), AAD)) {
            byte[] buf = new byte[piece];
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
            }
        }
        return out.toByteArray();
    }

    private static byte[] decryptByteByByte(byte[] ct) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = StreamCipher.decrypt(KEY, new ByteArrayInputStream(ct), AAD)) {
            int b;
            while ((b = in.read()) != -1) {
                out.write(b);
            }
        }
        return out.toByteArray();
    }
}
