package dev.mamori.platform.job;

import java.util.Objects;
import java.util.Optional;

/**
 * What to run: a declared job type with its typed parameters, and optionally a key and a tenant.
 * The submitter is the principal of the caller's execution context; the job's steps run as that
 * principal, in that tenant.
 *
 * @param <P> parameters
 */
public final class JobRequest<P> {
    private final JobType<P, ?> type;
    private final P parameters;
    private String key;
    private String tenantId;

    private JobRequest(JobType<P, ?> type, P parameters) {
        this.type = Objects.requireNonNull(type, "type");
        this.parameters = Objects.requireNonNull(parameters, "parameters");
    }

    /**
     * @param type       the job type
     * @param parameters its parameters (stored as JSON, at most 4,000 characters)
     * @param <P>        parameters
     * @return a request
     */
    public static <P> JobRequest<P> of(JobType<P, ?> type, P parameters) {
        return new JobRequest<>(type, parameters);
    }

    /**
     * @param type a job type without parameters
     * @return a request
     */
    public static JobRequest<JobType.None> of(JobType<JobType.None, ?> type) {
        return new JobRequest<>(type, JobType.None.NONE);
    }

    /**
     * @param key at most one open job per type and key: submitting the same key again returns the
     *            open job (a FAILED one resumes from its checkpoint); at most 200 characters
     * @return this
     */
    public JobRequest<P> key(String key) {
        if (key != null && (key.isEmpty() || key.length() > 200)) {
            throw new IllegalArgumentException("A job key is 1-200 characters.");
        }
        this.key = key;
        return this;
    }

    /**
     * @param tenantId the tenant the job works for, or null; a tenant's user or plugin can only
     *                 submit for its own tenant
     * @return this
     */
    public JobRequest<P> tenant(String tenantId) {
        this.tenantId = tenantId;
        return this;
    }

    /** @return the job type */
    public JobType<P, ?> type() { return type; }
    /** @return the key */
    public Optional<String> key() { return Optional.ofNullable(key); }
    /** @return the tenant */
    public Optional<String> tenantId() { return Optional.ofNullable(tenantId); }
    /** @return the parameters */
    public P parameters() { return parameters; }
}
