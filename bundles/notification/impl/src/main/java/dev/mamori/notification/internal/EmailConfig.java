package dev.mamori.notification.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The SMTP server that e-mail goes through (PID {@value #PID}); without this configuration no e-mail channel runs. */
@ObjectClassDefinition(name = "Mamori e-mail", description = "SMTP submission: server, TLS, authentication, sender.")
public @interface EmailConfig {
    /** The PID. */
    String PID = "dev.mamori.notification.email";

    /** @return host */
    @AttributeDefinition(description = "SMTP server host.")
    String host() default "127.0.0.1";

    /** @return port */
    @AttributeDefinition(description = "SMTP server port (587 submission with STARTTLS, 465 SMTPS).", min = "1", max = "65535")
    int port() default 587;

    /** @return security */
    @AttributeDefinition(description = "starttls (the connection must be upgraded: a server that offers no STARTTLS is refused), "
            + "smtps (TLS from the first byte), or none (clear text: only for a relay on this host).",
            options = {})
    String security() default "starttls";

    /** @return user */
    @AttributeDefinition(description = "User for SMTP AUTH; empty: no authentication.")
    String username() default "";

    /** @return password */
    @AttributeDefinition(description = "Password for SMTP AUTH (sent only over TLS).", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String password() default "";

    /** @return sender */
    @AttributeDefinition(description = "The sender address (From).")
    String from() default "mamori@localhost";

    /** @return sender name */
    @AttributeDefinition(description = "The sender's display name.")
    String from_name() default "Mamori";

    /** @return path */
    @AttributeDefinition(description = "A PKCS#12 trust store with the certificates to trust for the SMTP server's TLS; empty: "
            + "the JVM's default trust store.")
    String trust_store() default "";

    /** @return password */
    @AttributeDefinition(description = "The trust store's password.", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
    String trust_store_password() default "";

    /** @return whether the host name is checked */
    @AttributeDefinition(description = "Check that the server's certificate names the host (RFC 2595); turn off only for a "
            + "test server.")
    boolean check_server_identity() default true;

    /** @return seconds */
    @AttributeDefinition(description = "Seconds to connect, and to wait for each answer.", min = "1", max = "300")
    int timeout_seconds() default 30;

    /** @return connections */
    @AttributeDefinition(description = "SMTP connections at most at once (messages go side by side, up to dev.mamori.notification "
            + "delivery.parallel).", min = "1", max = "32")
    int connections() default 4;

    /** @return seconds */
    @AttributeDefinition(description = "Seconds an idle SMTP connection is kept open for the next message.", min = "0", max = "300")
    int keep_alive_seconds() default 30;
}
