package dev.mamori.artifacts.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Job artifact configuration (PID {@value #PID}). */
@ObjectClassDefinition(name = "Mamori job artifacts", description = "Files jobs produce, encrypted at rest.")
public @interface ArtifactConfig {
    /** The PID. */
    String PID = "dev.mamori.artifacts";

    /** @return hours */
    @AttributeDefinition(description = "Hours an artifact can be downloaded; then it is deleted (hourly job artifacts.purge).",
            min = "1", max = "8760")
    int ttl_hours() default 168;

    /** @return MiB */
    @AttributeDefinition(description = "Largest artifact in MiB; a bigger one fails its job's step.", min = "1", max = "256")
    int max_megabytes() default 16;

    /** @return GiB */
    @AttributeDefinition(description = "Largest streamed artifact (an export) in GiB; a bigger one fails its job's step.",
            min = "1", max = "1024")
    int stream_max_gigabytes() default 64;
}
