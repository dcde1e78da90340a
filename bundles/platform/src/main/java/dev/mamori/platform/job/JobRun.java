package dev.mamori.platform.job;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** The job as its handler sees it at the start of a step. */
@ProviderType
public interface JobRun {
    /** @return the job id */
    String id();

    /** @return the job type */
    String type();

    /** @return the tenant the job works for, if any */
    Optional<String> tenantId();

    /** @return the parameters it was submitted with */
    String parameters();

    /** @return where the last step ended (its checkpoint), empty before the first step */
    Optional<String> cursor();

    /** @return work done so far */
    long done();

    /** @return total work, if the handler has said */
    Optional<Long> total();
}
