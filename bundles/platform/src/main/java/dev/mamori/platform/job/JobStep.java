package dev.mamori.platform.job;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one step of a job did: progress with a checkpoint, a wait, or the end. A long output
 * belongs in an artifact ({@link JobRun#writeArtifact}); the result is a short summary.
 *
 * @param <C> the job type's cursor
 */
public final class JobStep<C> {
    /** The three outcomes of a step. */
    public enum Kind {
        /** More to do; the cursor is checkpointed. */
        PROGRESS,
        /** Nothing could be done now; run again later or when woken. */
        WAITING,
        /** Finished. */
        FINISHED
    }

    /** Longest checkpoint a step may return, as JSON. */
    public static final int MAX_CURSOR = 100_000;

    private final Kind kind;
    private final C cursor;
    private final long doneIncrement;
    private final Long total;
    private final String detail;
    private final String result;
    private final Duration retryIn;

    private JobStep(Kind kind, C cursor, long doneIncrement, Long total, String detail, String result, Duration retryIn) {
        if (doneIncrement < 0) {
            throw new IllegalArgumentException("doneIncrement < 0");
        }
        this.kind = kind;
        this.cursor = cursor;
        this.doneIncrement = doneIncrement;
        this.total = total;
        this.detail = detail == null ? null : detail.length() > 1000 ? detail.substring(0, 1000) : detail;
        this.result = result == null ? null : result.length() > 1000 ? result.substring(0, 1000) : result;
        this.retryIn = retryIn;
    }

    /**
     * @param cursor        checkpoint to resume from (the next step receives it; at most {@value #MAX_CURSOR} characters as JSON)
     * @param <C>           cursor
     * @param doneIncrement work done by this step
     * @return a progress step
     */
    public static <C> JobStep<C> progress(C cursor, long doneIncrement) {
        return new JobStep<>(Kind.PROGRESS, Objects.requireNonNull(cursor, "cursor"), doneIncrement, null, null, null, null);
    }

    /**
     * @param detail  what it waits for (shown in job lists)
     * @param retryIn when to try again at the latest ({@link JobService#wake} may come sooner)
     * @param <C>     cursor
     * @return a waiting step
     */
    public static <C> JobStep<C> waiting(String detail, Duration retryIn) {
        return new JobStep<>(Kind.WAITING, null, 0, null, Objects.requireNonNull(detail, "detail"), null,
                Objects.requireNonNull(retryIn, "retryIn"));
    }

    /** @param detail how it ended @param <C> cursor @return the final step */
    public static <C> JobStep<C> finished(String detail) {
        return new JobStep<>(Kind.FINISHED, null, 0, null, detail, null, null);
    }

    /** @param total total work, or null @return a copy with the total */
    public JobStep<C> withTotal(Long total) {
        return new JobStep<>(kind, cursor, doneIncrement, total, detail, result, retryIn);
    }

    /** @param detail short progress note @return a copy with the detail */
    public JobStep<C> withDetail(String detail) {
        return new JobStep<>(kind, cursor, doneIncrement, total, detail, result, retryIn);
    }

    /** @param result machine-readable outcome of a finished job (at most 1000 characters) @return a copy with it */
    public JobStep<C> withResult(String result) {
        return new JobStep<>(kind, cursor, doneIncrement, total, detail, result, retryIn);
    }

    /** @param doneIncrement work done by this (final) step @return a copy with it */
    public JobStep<C> withDone(long doneIncrement) {
        return new JobStep<>(kind, cursor, doneIncrement, total, detail, result, retryIn);
    }

    /** @return the kind */
    public Kind kind() { return kind; }
    /** @return the checkpoint */
    public Optional<C> cursor() { return Optional.ofNullable(cursor); }
    /** @return work done by this step */
    public long doneIncrement() { return doneIncrement; }
    /** @return total work, if said */
    public Optional<Long> total() { return Optional.ofNullable(total); }
    /** @return the detail, if said */
    public Optional<String> detail() { return Optional.ofNullable(detail); }
    /** @return the result of a finished job, if said */
    public Optional<String> result() { return Optional.ofNullable(result); }
    /** @return when to retry a waiting job */
    public Optional<Duration> retryIn() { return Optional.ofNullable(retryIn); }
}
