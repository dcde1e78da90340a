package dev.mamori.retention.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** etc/dev.mamori.retention.cfg */
@ObjectClassDefinition(name = "Mamori retention", description = "The tenant calendar (TEN-3..5).")
public @interface RetentionConfig {
    /** The configuration's PID. */
    String PID = "dev.mamori.retention";

    /** @return trial_delete_days */
    @AttributeDefinition(description = "An expired trial is deleted this many days after it expired (TEN-3: within 90).", min = "1",
            max = "90")
    int trial_delete_days() default 90;
}
