package dev.mamori.platform.job;

/** Thrown by {@link JobRun#heartbeat} when the job was cancelled while its step ran. */
public final class JobCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param jobId the job */
    public JobCancelledException(String jobId) {
        super("Job " + jobId + " was cancelled.");
    }
}
