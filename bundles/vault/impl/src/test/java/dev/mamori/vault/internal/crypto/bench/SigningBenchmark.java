package dev.mamori.vault.internal.crypto.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

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

import dev.mamori.vault.internal.crypto.KeyRef;
import dev.mamori.vault.internal.crypto.SigningKey;

/**
 * Ed25519 (Bouncy Castle 1.83) signing and verifying of a C2SP tlog checkpoint body (origin, tree
 * size, root hash: 86 bytes) on one thread: what the vault does per signature once the key is in
 * memory. Verification uses the public point decoded once, as the vault caches it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+UseParallelGC"})
public class SigningBenchmark {
    private SigningKey key;
    private SigningKey.Verifier verifier;
    private byte[] checkpoint;
    private byte[] signature;

    @Setup
    public void setUp() {
        key = SigningKey.generate(KeyRef.random());
        verifier = key.verifier();
        checkpoint = "mamori.example/audit/platform\n1234567\nqUiC5vPBaq9lLvHvdsnBD4WgwSpBRVsAbB5X2L7QdRE=\n"
                .getBytes(StandardCharsets.UTF_8);
        signature = key.sign(checkpoint);
    }

    @Benchmark
    public byte[] sign() {
        return key.sign(checkpoint);
    }

    @Benchmark
    public boolean verify() {
        return verifier.verify(checkpoint, signature);
    }
}
