package dev.mamori.vault.internal.crypto.bench;

import java.security.GeneralSecurityException;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import dev.mamori.vault.internal.crypto.Aad;
import dev.mamori.vault.internal.crypto.DataKey;
import dev.mamori.vault.internal.crypto.Envelope;
import dev.mamori.vault.internal.crypto.KeyRef;

/**
 * Envelope encryption of 1 KiB records on one thread, against plain JCE AES-256-GCM on the same
 * record (fresh 12-byte IV per call from a counter, no associated data, output array allocated by
 * {@code doFinal}) as the ceiling. Target (issue #3): vault {@code encrypt} at least 0.5x raw and
 * at least 375k ops/s. The vault figure is format version 2: XAES-256-GCM with the thread's batch
 * prefix N[:12] (derived key and its cipher reused for up to 2^20 blobs or 60 s) and 12 fresh
 * random bytes per blob, the 48-byte header, the header and a 55-byte tenant/table/row/field AAD in
 * GHASH. {@code vaultDecrypt1KiB} cycles through 1024 distinct blobs written together (one batch,
 * so one cached derived key: the common case of reading what was written together);
 * {@code vaultDecrypt1KiBScattered} through 1024 blobs under the same key that each have their own
 * prefix (each written by its own thread), so every blob needs the derivation and an AES key setup
 * of its own, as when reading rows written at different times. {@code rawJceGcmEncrypt1KiBFreshKey}
 * is plain AES-256-GCM with a different key on every call, the floor of keying GCM afresh per
 * message through the JCE.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+UseParallelGC"})
public class EnvelopeBenchmark {
    private DataKey key;
    private byte[] record;
    private byte[] aad;
    private byte[][] blobs;
    private int next;
    private byte[][] freshKeys;
    private byte[][] scattered;

    private Cipher raw;
    private SecretKeySpec rawKey;
    private final byte[] iv = new byte[12];
    private long counter;

    @Setup
    public void setup() throws GeneralSecurityException {
        Random r = new Random(1);
        byte[] k = new byte[32];
        r.nextBytes(k);
        key = DataKey.of(KeyRef.random(), k);
        rawKey = new SecretKeySpec(k, "AES");
        record = new byte[1024];
        r.nextBytes(record);
        aad = Aad.of("6f9619ff-8b86-d011-b42d-00c04fc964ff", "person", "1234567", "family_name");
        blobs = new byte[1024][];
        freshKeys = new byte[1024][32];
        for (int i = 0; i < blobs.length; i++) {
            blobs[i] = Envelope.encrypt(key, record, aad);
            r.nextBytes(freshKeys[i]);
        }
        scattered = new byte[1024][];
        for (int i = 0; i < scattered.length; i++) {
            int at = i;
            // a new thread starts a new batch, so every blob has its own prefix
            Thread t = new Thread(() -> scattered[at] = Envelope.encrypt(key, record, aad));
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        raw = Cipher.getInstance("AES/GCM/NoPadding");
    }

    @Benchmark
    public byte[] vaultEncrypt1KiB() {
        return Envelope.encrypt(key, record, aad);
    }

    @Benchmark
    public byte[] vaultDecrypt1KiB() {
        return Envelope.decrypt(key, blobs[next++ & 1023], aad);
    }

    @Benchmark
    public byte[] vaultDecrypt1KiBScattered() {
        return Envelope.decrypt(key, scattered[next++ & 1023], aad);
    }

    @Benchmark
    public byte[] rawJceGcmEncrypt1KiB() throws GeneralSecurityException {
        long c = ++counter;
        for (int i = 0; i < 8; i++) {
            iv[4 + i] = (byte) (c >>> (56 - 8 * i));
        }
        raw.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, iv));
        return raw.doFinal(record);
    }

    @Benchmark
    public byte[] rawJceGcmEncrypt1KiBFreshKey() throws GeneralSecurityException {
        long c = ++counter;
        for (int i = 0; i < 8; i++) {
            iv[4 + i] = (byte) (c >>> (56 - 8 * i));
        }
        raw.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(freshKeys[(int) c & 1023], "AES"), new GCMParameterSpec(128, iv));
        return raw.doFinal(record);
    }
}
