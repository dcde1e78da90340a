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

    /** @return threads */
    @AttributeDefinition(description = "Delivery attempts made side by side (each e-mail on one of the e-mail channel's kept-alive "
            + "connections).", min = "1", max = "32")
    int delivery_parallel() default 4;

    /** @return hours */
    @AttributeDefinition(description = "Planned maintenance is announced at least this many hours before its window starts (OPS-5); "
            + "only such windows are left out of the availability figures.", min = "1", max = "2160")
    int maintenance_notice_hours() default 72;

    /** @return minutes */
    @AttributeDefinition(description = "At most one error alert to operators per this many minutes; errors logged meanwhile go into "
            + "the next one, counted (AUD-5).", min = "1", max = "1440")
    int error_alert_minutes() default 15;

    /** @return percent */
    @AttributeDefinition(description = "Monthly availability target (OPS-5): operators are alerted when a month ends below it.")
    String sla_target_percent() default "99";

    /** @return domain */
    @AttributeDefinition(description = "The right-hand side of Message-IDs (<delivery-id@domain>).")
    String message_id_domain() default "mamori.local";
}
