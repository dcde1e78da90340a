package dev.mamori.vault.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.UniqueElements;

import dev.mamori.vault.DecryptionFailedException;

/**
 * Property-based tamper tests: random bit flips (and random byte changes) anywhere in envelope
 * blobs and in encrypted streams are always rejected, and never yield plaintext.
 */
class BitFlipPropertyTest {
    private static final DataKey KEY = DataKey.of(new KeyRef(UUID.randomUUID(), 3), Bytes.random(11, 32));
    private static final byte[] AAD = Aad.of("tenant-a", "attachment", "row-9");

    /** ~1 KiB record blob: 1000 bytes of plaintext, 1064 bytes of blob. */
    private static final byte[] RECORD = Envelope.encrypt(KEY, Bytes.random(12, 1000), AAD);
    /** 5.5 chunks of 1 KiB: header, 5 full chunks, a short last one. */
    private static final byte[] SMALL_CHUNKS = encryptStream(Bytes.random(13, 5 * 1024 + 512), 1024);
    /** Two full 64 KiB chunks and a short last one, the default chunk size. */
    private static final byte[] DEFAULT_CHUNKS = encryptStream(Bytes.random(14, 2 * 65536 + 100), StreamCipher.DEFAULT_CHUNK_SIZE);

    @Provide
    Arbitrary<Integer> recordBits() {
        return Arbitraries.integers().between(0, RECORD.length * 8 - 1);
    }

    @Provide
    Arbitrary<Integer> smallStreamBits() {
        return Arbitraries.integers().between(0, SMALL_CHUNKS.length * 8 - 1);
    }

    @Provide
    Arbitrary<Integer> defaultStreamBits() {
        return Arbitraries.integers().between(0, DEFAULT_CHUNKS.length * 8 - 1);
    }

    @Property(tries = 3000)
    @Label("CRY-2: a random bit flip anywhere in a 1 KiB record blob is rejected")
    void envelopeBitFlip(@ForAll("recordBits") int bit) {
        byte[] bad = Bytes.flip(RECORD, bit);
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(KEY, bad, AAD));
    }

    @Property(tries = 1000)
    @Label("CRY-2: random changes of 1..8 distinct random bytes of a record blob are rejected")
    void envelopeByteChanges(@ForAll @Size(min = 1, max = 8) @UniqueElements java.util.List<@IntRange(min = 0, max = 1063) Integer> positions,
                             @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] bad = RECORD.clone();
        for (int p : positions) {
            bad[p] ^= (byte) xor;
        }
        assertThrows(DecryptionFailedException.class, () -> Envelope.decrypt(KEY, bad, AAD));
    }

    @Property(tries = 3000)
    @Label("CRY-2: a random bit flip anywhere in a stream of 1 KiB chunks is rejected")
    void smallChunkStreamBitFlip(@ForAll("smallStreamBits") int bit) {
        assertStreamRejected(Bytes.flip(SMALL_CHUNKS, bit));
    }

    @Property(tries = 600)
    @Label("CRY-2: a random bit flip anywhere in a stream of 64 KiB chunks is rejected")
    void defaultChunkStreamBitFlip(@ForAll("defaultStreamBits") int bit) {
        assertStreamRejected(Bytes.flip(DEFAULT_CHUNKS, bit));
    }

    @Example
    @Label("CRY-2: every bit flip of an empty stream (header and one empty last chunk) is rejected, exhaustively")
    void emptyStreamEveryBit() {
        byte[] empty = encryptStream(new byte[0], 1024);
        for (int bit = 0; bit < empty.length * 8; bit++) {
            assertStreamRejected(Bytes.flip(empty, bit));
        }
    }

    @Example
    @Label("CRY-2: the unmodified samples decrypt (the properties above test tampering, not a broken encoder)")
    void samplesAreValid() throws IOException {
        org.junit.jupiter.api.Assertions.assertEquals(1064, RECORD.length, "the byte positions above cover the whole blob");
        assertArrayEquals(Bytes.random(12, 1000), Envelope.decrypt(KEY, RECORD, AAD));
        assertArrayEquals(Bytes.random(13, 5 * 1024 + 512), decryptStream(SMALL_CHUNKS));
        assertArrayEquals(Bytes.random(14, 2 * 65536 + 100), decryptStream(DEFAULT_CHUNKS));
    }

    private static void assertStreamRejected(byte[] bad) {
        assertThrows(DecryptionFailedException.class, () -> decryptStream(bad));
    }

    static byte[] decryptStream(byte[] ct) throws IOException {
        try (InputStream in = StreamCipher.decrypt(KEY, new ByteArrayInputStream(ct), AAD)) {
            return in.readAllBytes();
        }
    }

    private static byte[] encryptStream(byte[] pt, int chunkSize) {
        try {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            try (OutputStream out = StreamCipher.encrypt(KEY, sink, AAD, chunkSize)) {
                out.write(pt);
            }
            return sink.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
