package dev.mamori.platform.job;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** What to run: a job type, and optionally a key, a tenant and parameters for the handler. */
public final class JobRequest {
    private static final Pattern TYPE = Pattern.compile("[a-z]+(\\.[a-z0-9-]+)+");
    private final String type;
    private String key;
    private String tenantId;
    private String parameters = "";

    private JobRequest(String type) {
        if (type == null || type.length() > 100 || !TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("A job type is dotted lower-case words, e.g. vault.reencrypt: " + type);
        }
        this.type = type;
    }

    /** @param type the handler's {@value JobHandler#TYPE} @return a request */
    public static JobRequest of(String type) {
        return new JobRequest(type);
    }

    /**
     * @param key at most one open job per type and key: submitting the same key again returns the
     *            open job (a FAILED one resumes from its checkpoint); at most 200 characters
     * @return this
     */
    public JobRequest key(String key) {
        if (key != null && (key.isEmpty() || key.length() > 200)) {
            throw new IllegalArgumentException("A job key is 1-200 characters.");
        }
        this.key = key;
        return this;
    }

    /** @param tenantId the tenant the job works for, or null @return this */
    public JobRequest tenant(String tenantId) {
        this.tenantId = tenantId;
        return this;
    }

    /** @param parameters what the handler needs (at most 4000 characters) @return this */
    public JobRequest parameters(String parameters) {
        Objects.requireNonNull(parameters, "parameters");
        if (parameters.length() > 4000) {
            throw new IllegalArgumentException("Job parameters are at most 4000 characters.");
        }
        this.parameters = parameters;
        return this;
    }

    /** @return the job type */
    public String type() { return type; }
    /** @return the key */
    public Optional<String> key() { return Optional.ofNullable(key); }
    /** @return the tenant */
    public Optional<String> tenantId() { return Optional.ofNullable(tenantId); }
    /** @return the parameters */
    public String parameters() { return parameters; }
}
