package dev.mamori.vault.internal.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import dev.mamori.vault.DecryptionFailedException;

/**
 * Streaming authenticated encryption for large inputs (attachments, backups; CRY-2, CRY-5) in
 * constant memory: chunked AES-256-GCM after the STREAM construction of Hoang, Reyhanitabar,
 * Rogaway and Vizár ("Online Authenticated-Encryption and its Nonce-Reuse Misuse-Resistance",
 * CRYPTO 2015), which Tink's streaming AEAD also follows. Layout:
 *
 * <pre>
 * offset length
 *      0      3  magic "MVS" (0x4D 0x56 0x53)
 *      3      1  format version, 0x02 (0x01 is still read)
 *      4     16  data key id (UUID)
 *     20      4  data key version (big-endian)
 *     24      1  log2 of the plaintext chunk size (10..20; default 16 = 64 KiB)
 *     25     16  salt (random)
 *     41      7  nonce prefix (random)
 *     48         segments: ciphertext of one chunk || 16-byte GCM tag, repeated
 * </pre>
 *
 * Every chunk but the last holds exactly the chunk size of plaintext; the last holds 0 to chunk
 * size (0 only when the whole input is empty), and it is the one the stream ends with.
 *
 * <ul>
 * <li><b>Per-stream key.</b> Chunks are encrypted under a key derived from the whole header (NIST
 * SP 800-108 counter-mode KDF with HMAC-SHA256):
 * {@code HMAC-SHA256(k, [1]_4 || label || 0x00 || header || [256]_4)}, so each stream has its own
 * key and nonce collisions between streams under one long-lived data key do not matter. The
 * random salt makes the derived key unique; the random prefix is belt and braces. In format
 * version 2, {@code k} is the data key's stream subkey (see {@link DataKey}; key separation from
 * the envelope encryption) and the label {@code "mamori vault stream v2"}; in version 1, written
 * before, {@code k} is the raw data key and the label {@code "mamori vault stream v1"}.</li>
 * <li><b>Chunk nonce</b> = nonce prefix (7) || chunk index (4, big-endian) || last-chunk flag
 * (1: 0x01 on the last chunk, else 0x00). Moving, dropping or duplicating a chunk changes its
 * index, cutting the stream at a chunk boundary turns a non-last chunk into the last one, and
 * appending anything turns the last chunk into a non-last one: every such change fails a tag.</li>
 * <li><b>Chunk associated data</b> = header (48 bytes) || caller's associated data, so the header
 * and the stream's place are checked with every chunk.</li>
 * </ul>
 *
 * The decrypting stream verifies each chunk's tag before it releases any byte of that chunk, and
 * fails if the source ends before the last chunk. It still releases verified chunks before later
 * ones are read: a consumer must treat the data as untrusted until it has read to the end without
 * a {@link DecryptionFailedException} (write to a temporary file, commit on success).
 */
public final class StreamCipher {
    /** Format version written by this class. */
    public static final int FORMAT_VERSION = 2;
    /** Length of the stream header. */
    public static final int HEADER_LENGTH = 48;
    /** Length of each chunk's GCM tag. */
    public static final int TAG_LENGTH = 16;
    /** Default plaintext chunk size, 64 KiB. */
    public static final int DEFAULT_CHUNK_SIZE = 1 << 16;
    /** Smallest chunk size, 1 KiB. */
    public static final int MIN_CHUNK_SIZE = 1 << 10;
    /** Largest chunk size, 1 MiB. */
    public static final int MAX_CHUNK_SIZE = 1 << 20;

    static final byte[] MAGIC = {'M', 'V', 'S'};
    static final int SIZE_OFFSET = 24;
    static final int SALT_OFFSET = 25;
    static final int SALT_LENGTH = 16;
    static final int PREFIX_OFFSET = 41;
    static final int PREFIX_LENGTH = 7;
    static final int NONCE_LENGTH = 12;
    private static final byte[] KDF_LABEL = "mamori vault stream v2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V1_KDF_LABEL = "mamori vault stream v1".getBytes(StandardCharsets.US_ASCII);
    private static final long MAX_CHUNKS = 1L << 32;

    private StreamCipher() {
    }

    /**
     * Starts encrypting into {@code sink} with 64 KiB chunks; the header is written at once.
     *
     * @param key  the data key
     * @param sink where the ciphertext goes; closed by {@link EncryptingOutputStream#close()}
     * @param aad  associated data that must be presented again to decrypt (may be empty)
     * @return the plaintext stream; {@code close()} or {@code finish()} writes the last chunk
     * @throws IOException if writing the header fails
     */
    public static EncryptingOutputStream encrypt(DataKey key, OutputStream sink, byte[] aad) throws IOException {
        return encrypt(key, sink, aad, DEFAULT_CHUNK_SIZE);
    }

    /**
     * @param key       the data key
     * @param sink      where the ciphertext goes
     * @param aad       associated data (may be empty)
     * @param chunkSize plaintext bytes per chunk, a power of two from {@value #MIN_CHUNK_SIZE} to
     *                  {@value #MAX_CHUNK_SIZE}
     * @return the plaintext stream
     * @throws IOException if writing the header fails
     */
    public static EncryptingOutputStream encrypt(DataKey key, OutputStream sink, byte[] aad, int chunkSize)
            throws IOException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(aad, "aad");
        int log2 = Integer.numberOfTrailingZeros(chunkSize);
        if (Integer.bitCount(chunkSize) != 1 || chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunk size must be a power of two from 1 KiB to 1 MiB");
        }
        byte[] header = new byte[HEADER_LENGTH];
        header[0] = MAGIC[0];
        header[1] = MAGIC[1];
        header[2] = MAGIC[2];
        header[3] = FORMAT_VERSION;
        key.ref().writeTo(header, 4);
        header[SIZE_OFFSET] = (byte) log2;
        Nonces.next(header, SALT_OFFSET, SALT_LENGTH + PREFIX_LENGTH);
        return new EncryptingOutputStream(new Chunks(key, header, aad), sink);
    }

    /**
     * Reads the header from {@code source} (format version 2 or 1), finds its key and returns the
     * plaintext stream.
     *
     * @param keys   finds the key the header names
     * @param source the ciphertext, positioned at the header
     * @param aad    the associated data given at encryption
     * @return the plaintext stream
     * @throws IOException               if reading the header fails
     * @throws DecryptionFailedException if the header is malformed or truncated
     */
    public static DecryptingInputStream decrypt(KeyResolver keys, InputStream source, byte[] aad) throws IOException {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(aad, "aad");
        byte[] header = readHeader(source);
        DataKey key = Objects.requireNonNull(keys.resolve(KeyRef.readFrom(header, 4)), "resolver returned no key");
        return new DecryptingInputStream(new Chunks(key, header, aad), source);
    }

    /**
     * @param key    the data key the stream was encrypted under
     * @param source the ciphertext, positioned at the header
     * @param aad    the associated data given at encryption
     * @return the plaintext stream
     * @throws IOException               if reading the header fails
     * @throws DecryptionFailedException if the header is malformed, truncated or names another key
     */
    public static DecryptingInputStream decrypt(DataKey key, InputStream source, byte[] aad) throws IOException {
        Objects.requireNonNull(key, "key");
        return decrypt(ref -> {
            if (!ref.equals(key.ref())) {
                throw new DecryptionFailedException("Encrypted stream belongs to another key.");
            }
            return key;
        }, source, aad);
    }

    /**
     * @param plaintextLength bytes of plaintext
     * @param chunkSize       the chunk size
     * @return the exact length of the encrypted stream
     */
    public static long ciphertextLength(long plaintextLength, int chunkSize) {
        long chunks = plaintextLength == 0 ? 1 : (plaintextLength + chunkSize - 1) / chunkSize;
        return HEADER_LENGTH + plaintextLength + chunks * TAG_LENGTH;
    }

    private static byte[] readHeader(InputStream source) throws IOException {
        byte[] header = new byte[HEADER_LENGTH];
        int n = source.readNBytes(header, 0, HEADER_LENGTH);
        if (n < HEADER_LENGTH) {
            throw new DecryptionFailedException("Encrypted stream is truncated (incomplete header).");
        }
        if (header[0] != MAGIC[0] || header[1] != MAGIC[1] || header[2] != MAGIC[2]) {
            throw new DecryptionFailedException("Not an encrypted stream: unknown format.");
        }
        if (header[3] != FORMAT_VERSION && header[3] != 1) {
            throw new DecryptionFailedException("Unsupported encrypted stream format version " + (header[3] & 0xff) + ".");
        }
        int log2 = header[SIZE_OFFSET];
        if (log2 < 10 || log2 > 20) {
            throw new DecryptionFailedException("Not an encrypted stream: invalid chunk size.");
        }
        if (KeyRef.readFrom(header, 4) == null) {
            throw new DecryptionFailedException("Not an encrypted stream: invalid key version.");
        }
        return header;
    }

    /** The per-stream key, nonces and associated data, shared by both directions. */
    static final class Chunks {
        final byte[] header;
        final int chunkSize;
        final KeyRef ref;
        private final SecretKeySpec streamKey;
        private final byte[] chunkAad;
        private final byte[] nonce = new byte[NONCE_LENGTH];
        private final Cipher cipher = Envelope.newCipher();
        private long index;

        Chunks(DataKey key, byte[] header, byte[] aad) {
            this.header = header;
            this.ref = key.ref();
            this.chunkSize = 1 << header[SIZE_OFFSET];
            this.streamKey = header[3] == FORMAT_VERSION
                    ? deriveKey(key.streamKey(), KDF_LABEL, header)
                    // the format before key separation: the raw data key as the KDF key
                    : deriveKey(key.secretKey(), V1_KDF_LABEL, header);
            this.chunkAad = new byte[HEADER_LENGTH + aad.length];
            System.arraycopy(header, 0, chunkAad, 0, HEADER_LENGTH);
            System.arraycopy(aad, 0, chunkAad, HEADER_LENGTH, aad.length);
            System.arraycopy(header, PREFIX_OFFSET, nonce, 0, PREFIX_LENGTH);
        }

        /** Encrypts or decrypts the next chunk; {@code out} must have room. */
        int next(int mode, byte[] in, int off, int len, byte[] out, boolean last) throws GeneralSecurityException {
            if (index >= MAX_CHUNKS) {
                throw new IllegalStateException("encrypted stream exceeds 2^32 chunks");
            }
            int i = (int) index;
            nonce[7] = (byte) (i >>> 24);
            nonce[8] = (byte) (i >>> 16);
            nonce[9] = (byte) (i >>> 8);
            nonce[10] = (byte) i;
            nonce[11] = (byte) (last ? 1 : 0);
            cipher.init(mode, streamKey, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            cipher.updateAAD(chunkAad);
            int n = cipher.doFinal(in, off, len, out, 0);
            index++;
            return n;
        }

        /** NIST SP 800-108 counter mode, one HMAC-SHA256 block: [1]_4 || label || 0x00 || header || [256]_4. */
        private static SecretKeySpec deriveKey(SecretKey kdfKey, byte[] label, byte[] header) {
            byte[] k = null;
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(kdfKey);
                mac.update(new byte[] {0, 0, 0, 1});
                mac.update(label);
                mac.update((byte) 0);
                mac.update(header);
                mac.update(new byte[] {0, 0, 1, 0});
                k = mac.doFinal();
                return new SecretKeySpec(k, "AES");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 not available", e);
            } finally {
                Zeroize.wipe(k);
            }
        }
    }

    /**
     * Encrypts what is written to it into its sink. Not thread-safe. {@link #finish()} writes the
     * last chunk and leaves the sink open; {@link #close()} finishes and closes the sink. A stream
     * that is neither finished nor closed leaves a truncated ciphertext that will not decrypt.
     */
    public static final class EncryptingOutputStream extends OutputStream {
        private final Chunks chunks;
        private final OutputStream sink;
        private final byte[] buf;
        private final byte[] out;
        private int len;
        private boolean finished;
        private boolean closed;
        private boolean broken;

        EncryptingOutputStream(Chunks chunks, OutputStream sink) throws IOException {
            this.chunks = chunks;
            this.sink = sink;
            this.buf = new byte[chunks.chunkSize];
            this.out = new byte[chunks.chunkSize + TAG_LENGTH];
            sink.write(chunks.header);
        }

        /** @return the data key the stream is encrypted under */
        public KeyRef key() {
            return chunks.ref;
        }

        @Override
        public void write(int b) throws IOException {
            ensureOpen();
            if (len == buf.length) {
                emit(buf, 0, len, false);
                len = 0;
            }
            buf[len++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            Objects.checkFromIndexSize(off, n, b.length);
            ensureOpen();
            while (n > 0) {
                if (len == buf.length) {
                    emit(buf, 0, len, false);
                    len = 0;
                }
                if (len == 0 && n > buf.length) {
                    // a whole chunk with more to come: encrypt straight from the caller's array
                    emit(b, off, buf.length, false);
                    off += buf.length;
                    n -= buf.length;
                    continue;
                }
                int take = Math.min(n, buf.length - len);
                System.arraycopy(b, off, buf, len, take);
                len += take;
                off += take;
                n -= take;
            }
        }

        /** Flushes the sink. Up to one chunk of plaintext stays buffered until more is written or the stream finishes. */
        @Override
        public void flush() throws IOException {
            ensureOpen();
            sink.flush();
        }

        /**
         * Writes the last chunk and flushes, leaving the sink open. Further writes fail.
         *
         * @throws IOException if the sink fails
         */
        public void finish() throws IOException {
            if (finished) {
                return;
            }
            ensureOpen();
            try {
                emit(buf, 0, len, true);
                sink.flush();
            } finally {
                finished = true;
                Zeroize.wipe(buf);
                len = 0;
            }
        }

        /** Finishes (unless the stream broke) and closes the sink. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            try {
                if (!finished && !broken) {
                    finish();
                }
            } finally {
                closed = true;
                Zeroize.wipe(buf);
                sink.close();
            }
        }

        private void emit(byte[] src, int off, int n, boolean last) throws IOException {
            int m;
            try {
                m = chunks.next(Cipher.ENCRYPT_MODE, src, off, n, out, last);
            } catch (GeneralSecurityException | RuntimeException e) {
                broken = true;
                throw new IOException("encrypting a chunk failed", e);
            }
            try {
                sink.write(out, 0, m);
            } catch (IOException | RuntimeException e) {
                broken = true;
                throw e;
            }
        }

        private void ensureOpen() throws IOException {
            if (closed || finished) {
                throw new IOException("encrypting stream is " + (closed ? "closed" : "finished"));
            }
            if (broken) {
                throw new IOException("encrypting stream failed earlier");
            }
        }
    }

    /**
     * Decrypts a stream written by {@link EncryptingOutputStream}. Not thread-safe. Each chunk is
     * read whole and its tag verified before any of its plaintext is returned; the end of the
     * source is accepted only after the chunk marked last. Any failure throws
     * {@link DecryptionFailedException} (unchecked) and the stream stays failed; I/O errors of the
     * source are passed on as they are.
     */
    public static final class DecryptingInputStream extends InputStream {
        private final Chunks chunks;
        private final InputStream source;
        private final byte[] seg;
        private final byte[] plain;
        private int pos;
        private int lim;
        private int lookahead = -1;
        private boolean done;
        private boolean failed;
        private boolean sourceFailed;
        private boolean closed;

        DecryptingInputStream(Chunks chunks, InputStream source) {
            this.chunks = chunks;
            this.source = source;
            this.seg = new byte[chunks.chunkSize + TAG_LENGTH];
            this.plain = new byte[chunks.chunkSize];
        }

        /** @return the data key the stream is encrypted under */
        public KeyRef key() {
            return chunks.ref;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return plain[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int n) throws IOException {
            Objects.checkFromIndexSize(off, n, b.length);
            if (n == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int take = Math.min(n, lim - pos);
            System.arraycopy(plain, pos, b, off, take);
            pos += take;
            return take;
        }

        @Override
        public int available() {
            return lim - pos;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                Zeroize.wipe(plain);
                pos = lim = 0;
                source.close();
            }
        }

        /** @return whether plaintext is buffered; false at the verified end */
        private boolean fill() throws IOException {
            if (closed) {
                throw new IOException("decrypting stream is closed");
            }
            if (failed) {
                throw new DecryptionFailedException("Encrypted stream failed authentication earlier.");
            }
            if (sourceFailed) {
                throw new IOException("reading the encrypted stream failed earlier");
            }
            if (pos < lim) {
                return true;
            }
            if (done) {
                return false;
            }
            int n = 0;
            if (lookahead >= 0) {
                seg[n++] = (byte) lookahead;
                lookahead = -1;
            }
            boolean last;
            try {
                while (n < seg.length) {
                    int r = source.read(seg, n, seg.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                if (n < seg.length) {
                    last = true;
                } else {
                    lookahead = source.read();
                    last = lookahead < 0;
                }
            } catch (IOException | RuntimeException e) {
                // the position in the source is lost: no later read can be trusted to line up
                sourceFailed = true;
                throw e;
            }
            if (n < TAG_LENGTH) {
                throw fail("Encrypted stream is truncated.");
            }
            try {
                lim = chunks.next(Cipher.DECRYPT_MODE, seg, 0, n, plain, last);
            } catch (GeneralSecurityException | RuntimeException e) {
                throw fail(last ? "Encrypted stream failed authentication (tampered with, truncated, extended, moved, or wrong key)."
                        : "Encrypted stream failed authentication (tampered with, reordered, moved, or wrong key).");
            }
            pos = 0;
            done = last;
            return lim > 0;
        }

        private DecryptionFailedException fail(String message) {
            failed = true;
            Zeroize.wipe(plain);
            pos = lim = 0;
            return new DecryptionFailedException(message);
        }
    }
}
