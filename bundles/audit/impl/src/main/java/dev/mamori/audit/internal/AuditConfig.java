package dev.mamori.audit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Audit log configuration (PID dev.mamori.audit). */
@ObjectClassDefinition(name = "Mamori audit log", description = "The tamper-evident audit log: checkpoints, retention, sinks.")
public @interface AuditConfig {
    /** The PID. */
    String PID = "dev.mamori.audit";

    /** @return origin prefix */
    @AttributeDefinition(description = "The checkpoints' origin before the log id (a schema-less URL naming this deployment, "
            + "e.g. audit.example.com/mamori): a log's origin is <this>/<tenant id or platform>, fixed when the log begins.")
    String log_origin() default "mamori.local/audit";

    /** @return entries per checkpoint */
    @AttributeDefinition(description = "Sign a checkpoint once a log grew by this many entries.")
    int checkpoint_entries() default 1000;

    /** @return minutes between checkpoints */
    @AttributeDefinition(description = "Sign a checkpoint of every log that grew at least this often (minutes).")
    int checkpoint_minutes() default 5;

    /** @return retention in months */
    @AttributeDefinition(description = "Months entries are kept (AUD-1: 12); older ones are pruned in whole blocks of 256 by the "
            + "daily audit.prune job, keeping what proofs of the rest need.")
    int retention_months() default 12;

    /** @return the file sink's path */
    @AttributeDefinition(description = "The append-only file every checkpoint is also written to (the file sink); empty: none.")
    String sink_file() default "";
}
