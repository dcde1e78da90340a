package dev.mamori.audit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of the syslog audit sink (PID {@value #PID}); the sink runs only while this
 * configuration exists.
 */
@ObjectClassDefinition(name = "Mamori audit syslog sink",
        description = "Every signed audit checkpoint is also sent to this syslog server (RFC 5424), outside the database.")
public @interface SyslogConfig {
    /** The PID. */
    String PID = "dev.mamori.audit.syslog";

    /** @return the server's host */
    @AttributeDefinition(description = "The syslog server's host name or address (required).")
    String host() default "";

    /** @return the server's port */
    @AttributeDefinition(description = "The syslog server's port.", min = "1", max = "65535")
    int port() default 514;

    /** @return udp or tcp */
    @AttributeDefinition(description = "udp (RFC 5426: a receiver that is down goes unnoticed) or tcp (RFC 6587 octet "
            + "counting: a receiver that is down makes the sink, and so the audit health check, fail).",
            options = { @Option(label = "UDP", value = "udp"), @Option(label = "TCP", value = "tcp") })
    String transport() default "udp";

    /** @return the APP-NAME header field */
    @AttributeDefinition(description = "The messages' APP-NAME (at most 48 printable ASCII characters).")
    String app_name() default "mamori";

    /** @return the syslog facility */
    @AttributeDefinition(description = "The syslog facility, 0..23 (13: log audit).", min = "0", max = "23")
    int facility() default 13;

    /** @return the HOSTNAME header field; empty: this machine's */
    @AttributeDefinition(description = "The messages' HOSTNAME; empty: this machine's host name.")
    String hostname() default "";

    /** @return TCP connect timeout */
    @AttributeDefinition(description = "TCP: seconds to wait for a connection.", min = "1")
    int connect_timeout_seconds() default 5;
}
