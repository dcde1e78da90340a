package dev.mamori.platform.job;

/** Lifecycle of a job. */
public enum JobState {
    /** Submitted, not started yet (or resumed after a failure). */
    QUEUED,
    /** A node works on it, step by step. */
    RUNNING,
    /** Its handler waits for something (a sealed vault, a component); it runs again later or when woken. */
    WAITING,
    /** Finished. */
    DONE,
    /** Stopped on an error; submitting it again resumes from its last checkpoint. */
    FAILED,
    /** Cancelled; never resumed. */
    CANCELLED;

    /** @return whether the job still holds its key: QUEUED, RUNNING, WAITING or FAILED */
    public boolean isOpen() {
        return this != DONE && this != CANCELLED;
    }
}
