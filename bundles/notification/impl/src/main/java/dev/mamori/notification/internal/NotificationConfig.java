package dev.mamori.notification.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Notification configuration (PID {@value #PID}). */
@ObjectClassDefinition(name = "Mamori notifications", description = "The outbox's retries, operators' addresses, incident alerts.")
public @interface NotificationConfig {
    /** The PID. */
    String PID = "dev.mamori.notification";

    /** @return addresses */
    @AttributeDefinition(description = "E-mail addresses of the platform's operators: incident clock alerts go there. Empty: "
            + "nobody is alerted (a warning at start, and each alert's delivery log says so).")
    String[] operator_emails() default {};

    /** @return language tag */
    @AttributeDefinition(description = "The language of recipients whose profile names none (ja or en).", options = {})
    String default_locale() default "ja";

    /** @return attempts */
    @AttributeDefinition(description = "Attempts per delivery before it is given up (FAILED).", min = "1", max = "100")
    int max_attempts() default 20;

    /** @return seconds */
    @AttributeDefinition(description = "Wait before the second attempt; it doubles with each attempt up to retry.max.minutes.",
            min = "1", max = "3600")
    int retry_base_seconds() default 30;

    /** @return minutes */
    @AttributeDefinition(description = "Longest wait between two attempts.", min = "1", max = "1440")
    int retry_max_minutes() default 60;

    /** @return seconds */
    @AttributeDefinition(description = "An attempt that has not ended after this long (its node died) is tried again, with the "
            + "same Message-ID.", min = "30", max = "3600")
    int lease_seconds() default 300;

    /** @return hours */
    @AttributeDefinition(description = "Operators are alerted this many hours before an incident clock's deadline (each once), "
            + "and once when it is overdue.")
    String[] alert_before_hours() default {"24", "6"};

    /** @return domain */
    @AttributeDefinition(description = "The right-hand side of Message-IDs (<delivery-id@domain>).")
    String message_id_domain() default "mamori.local";
}
