package dev.mamori.records.internal;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.mamori.platform.job.JobArtifact;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobRequest;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobService;
import dev.mamori.platform.job.JobState;
import dev.mamori.platform.job.JobStep;

/**
 * The job seam for unit tests: submissions are kept, and a kept job's step runs on the test's thread
 * inside a unit of work, as the job runner runs it; artifacts are kept in memory.
 */
final class Jobs {
    final List<JobRequest<?>> submitted = new ArrayList<>();
    final Map<String, JobRequest<?>> byId = new ConcurrentHashMap<>();
    final Map<String, byte[]> artifacts = new ConcurrentHashMap<>();
    /** Open jobs by tenant, type and key: as the job service, a submit with an open job's key returns that job. */
    final Map<String, JobInfo> openByKey = new ConcurrentHashMap<>();
    /** When jobs are submitted (the fixture's clock). */
    volatile java.time.Clock clock = java.time.Clock.systemUTC();
    /** Every job submitted, newest first. */
    final List<JobInfo> infos = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** A cancel that arrives at this heartbeat (counted from 1 per run), or never when 0. */
    volatile int cancelAtHeartbeat;
    /** What the step said at the heartbeat that met the cancel. */
    volatile String cancelledAt;

    JobService service() {
        return (JobService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {JobService.class}, (p, m, a) -> {
            if (m.getName().equals("submit")) {
                JobRequest<?> r = (JobRequest<?>) a[0];
                String keyed = r.key().map(k -> r.tenantId().orElse("") + "|" + r.type().name() + "|" + k).orElse(null);
                if (keyed != null && openByKey.containsKey(keyed)) {
                    return openByKey.get(keyed);
                }
                String id = UUID.randomUUID().toString();
                submitted.add(r);
                byId.put(id, r);
                Instant now = clock.instant();
                JobInfo job = new JobInfo(id, r.type().name(), r.key().orElse(null), r.tenantId().orElse(null),
                        PayloadSchemas.JSON.writeValueAsString(r.parameters()), JobState.QUEUED, 0, null, null, null, null, null, now, now,
                        null);
                if (keyed != null) {
                    openByKey.put(keyed, job);
                }
                infos.add(0, job);
                return job;
            }
            if (m.getName().equals("list")) {
                return infos.stream().filter(j -> a[0] == null || j.type().equals(a[0])).filter(j -> a[1] == null
                        || a[1].equals(j.tenantId())).limit((Integer) a[2]).collect(java.util.stream.Collectors.toList());
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    /** Runs the last submitted job's step once, in a unit of work, and returns its outcome. */
    @SuppressWarnings("unchecked")
    <P, C> JobStep<C> runLast(JobHandler<P, C> handler) {
        JobRequest<P> r = (JobRequest<P>) submitted.get(submitted.size() - 1);
        String id = byId.entrySet().stream().filter(e -> e.getValue() == r).findFirst().orElseThrow().getKey();
        JobRun<P, C> run = new JobRun<>() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String type() {
                return r.type().name();
            }

            @Override
            public Optional<String> tenantId() {
                return r.tenantId();
            }

            @Override
            public P parameters() {
                return r.parameters();
            }

            @Override
            public Optional<C> cursor() {
                return Optional.empty();
            }

            @Override
            public long done() {
                return 0;
            }

            @Override
            public Optional<Long> total() {
                return Optional.empty();
            }

            @Override
            public boolean cancelRequested() {
                return false;
            }

            private int beats;

            @Override
            public void heartbeat(long doneSoFar, String detail) {
                if (++beats == cancelAtHeartbeat) {
                    cancelledAt = detail;
                    throw new dev.mamori.platform.job.JobCancelledException(id);
                }
            }

            @Override
            public JobArtifact writeArtifact(String name, String mediaType, byte[] content) {
                artifacts.put(id + "/" + name, content);
                return new JobArtifact(id, r.tenantId().orElse(null), name, mediaType, content.length, "0".repeat(64), Instant.now(),
                        Instant.now());
            }

            @Override
            public JobArtifact writeArtifact(String name, String mediaType, dev.mamori.platform.job.ArtifactWriter content) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                try {
                    content.writeTo(out);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return writeArtifact(name, mediaType, out.toByteArray());
            }
        };
        JobStep<C> step = dev.mamori.platform.db.UnitOfWork.get().call(() -> handler.step(run));
        if (step.kind() == JobStep.Kind.FINISHED) {
            openByKey.values().removeIf(j -> j.id().equals(id));
        }
        return step;
    }
}
