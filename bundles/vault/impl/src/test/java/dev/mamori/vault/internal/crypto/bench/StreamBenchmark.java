package dev.mamori.vault.internal.crypto.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import dev.mamori.vault.internal.crypto.Aad;
import dev.mamori.vault.internal.crypto.DataKey;
import dev.mamori.vault.internal.crypto.KeyRef;
import dev.mamori.vault.internal.crypto.StreamCipher;

/**
 * Streaming throughput on one thread: a whole 8 MiB stream per operation (header, per-stream key
 * derivation, 64 KiB chunks, last chunk), written or read 16 KiB at a time, into a discarding sink
 * or from memory. The {@code bytes} counter is plaintext bytes per second; target (issue #3):
 * at least 1.3 GB/s after warm-up. {@code rawJceGcm64KiB} is one plain JCE AES-256-GCM
 * {@code doFinal} of a 64 KiB chunk, the ceiling for the chunked format.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+UseParallelGC"})
public class StreamBenchmark {
    private static final int WRITE = 16 * 1024;
    private static final OutputStream DISCARD = OutputStream.nullOutputStream();

    @Param({"8388608"})
    public int streamBytes;

    private DataKey key;
    private byte[] aad;
    private byte[] piece;
    private byte[] encrypted;
    private byte[] readBuffer;

    private Cipher raw;
    private SecretKeySpec rawKey;
    private byte[] chunk;
    private byte[] chunkOut;
    private final byte[] iv = new byte[12];
    private long counter;

    /** Plaintext bytes processed, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup
    public void setup() throws IOException, GeneralSecurityException {
        Random r = new Random(2);
        byte[] k = new byte[32];
        r.nextBytes(k);
        key = DataKey.of(KeyRef.random(), k);
        rawKey = new SecretKeySpec(k, "AES");
        aad = Aad.of("6f9619ff-8b86-d011-b42d-00c04fc964ff", "attachment", "1234567");
        piece = new byte[WRITE];
        r.nextBytes(piece);
        readBuffer = new byte[WRITE];
        ByteArrayOutputStream sink = new ByteArrayOutputStream(streamBytes + streamBytes / 1000 + 100);
        try (OutputStream out = StreamCipher.encrypt(key, sink, aad)) {
            for (int done = 0; done < streamBytes; done += WRITE) {
                out.write(piece);
            }
        }
        encrypted = sink.toByteArray();
        raw = Cipher.getInstance("AES/GCM/NoPadding");
        chunk = new byte[StreamCipher.DEFAULT_CHUNK_SIZE];
        r.nextBytes(chunk);
        chunkOut = new byte[chunk.length + 16];
    }

    @Benchmark
    public void encryptStream(Bytes counter) throws IOException {
        StreamCipher.EncryptingOutputStream out = StreamCipher.encrypt(key, DISCARD, aad);
        for (int done = 0; done < streamBytes; done += WRITE) {
            out.write(piece);
        }
        out.finish();
        counter.bytes += streamBytes;
    }

    @Benchmark
    public int decryptStream(Bytes counter) throws IOException {
        int sum = 0;
        try (InputStream in = StreamCipher.decrypt(key, new ByteArrayInputStream(encrypted), aad)) {
            int n;
            while ((n = in.read(readBuffer)) > 0) {
                sum += n;
            }
        }
        counter.bytes += sum;
        return sum;
    }

    @Benchmark
    public int rawJceGcm64KiB(Bytes counter) throws GeneralSecurityException {
        long c = ++this.counter;
        for (int i = 0; i < 8; i++) {
            iv[4 + i] = (byte) (c >>> (56 - 8 * i));
        }
        raw.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, iv));
        int n = raw.doFinal(chunk, 0, chunk.length, chunkOut, 0);
        counter.bytes += chunk.length;
        return n;
    }
}
