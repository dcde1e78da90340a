package dev.mamori.platform.internal;

import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.event.EventEncoding;
import dev.mamori.platform.event.EventType;
import dev.mamori.platform.event.MamoriEvent;

/**
 * Issue #15's figure "event publishing with no listener: ≤ 20 µs per event": what an action pays
 * for one event when nothing listens — checking the declared details, the id (UUIDv7 from
 * SecureRandom), the clock, the context and a unit of work of its own (none active) —, on one
 * thread, in the REST context a request binds. {@code encode} is the canonical encoding the audit
 * listener will add per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+UseParallelGC"})
public class EventPublishingBenchmark {
    static final EventType FAILED = EventType.of("auth.sign-in.failed", "step", "reason");
    private EventPublisherImpl publisher;
    private ExecutionContext.Binding binding;
    private MamoriEvent sample;

    @Setup(Level.Trial)
    public void setUp() {
        publisher = new EventPublisherImpl(new EventPublisherImpl.Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return EventPublisherImpl.Config.class;
            }

            @Override
            public String[] required_listeners() {
                return new String[0];
            }
        });
        publisher.clock = Clock.system(ZoneId.of("Asia/Tokyo"));
        binding = ExecutionContext.bind(ExecutionContext.builder(Channel.REST)
                .principal(Principal.user("0193a0b2-7c00-7abc-8def-0123456789ab", "t-1", Set.of("employee"))).tenant("t-1")
                .clientIp("192.0.2.10").userAgent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)").build());
        sample = publish();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        binding.close();
    }

    @Benchmark
    public MamoriEvent publish() {
        return publisher.publish(MamoriEvent.builder(FAILED).target("user", "0193a0b2-7c00-7abc-8def-0123456789ab")
                .outcome(MamoriEvent.Outcome.FAILURE).detail("step", "password").detail("reason", "wrong-password"));
    }

    @Benchmark
    public byte[] encode() {
        return EventEncoding.encode(sample);
    }
}
