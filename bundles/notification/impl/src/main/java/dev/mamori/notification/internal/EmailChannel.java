package dev.mamori.notification.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.eclipse.angus.activation.MailcapRegistryProviderImpl;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.notification.Notification;
import dev.mamori.notification.spi.DeliveryResult;
import dev.mamori.notification.spi.NotificationChannel;
import dev.mamori.notification.spi.OutgoingMessage;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;

/**
 * E-mail over SMTP with Jakarta Mail (Eclipse Angus): STARTTLS required or SMTPS, AUTH only over
 * TLS, up to {@code connections} kept-alive connections reused for the messages of a run. A message has exactly one
 * recipient (the one the delivery names, checked to be one plain address); every header value
 * that came from typed text is one line and, where not ASCII, RFC 2047-encoded (SEC-8); the HTML
 * part is escaped text (SEC-5); the Message-ID is the delivery's, the same on every attempt.
 */
@Component(service = NotificationChannel.class, property = NotificationChannel.ID + "=" + Notification.EMAIL,
        configurationPid = EmailConfig.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = EmailConfig.class)
public class EmailChannel implements NotificationChannel {
    private static final Logger LOG = LoggerFactory.getLogger(EmailChannel.class);
    private static final Pattern MESSAGE_ID = Pattern.compile("<[A-Za-z0-9._-]{1,64}@[A-Za-z0-9.-]{1,253}>");
    private static final ClassLoader MAIL_LOADER = new MailClassLoader(SMTPTransport.class.getClassLoader(),
            MailcapRegistryProviderImpl.class.getClassLoader(), Session.class.getClassLoader(), EmailChannel.class.getClassLoader());
    private final Clock clock;
    private final Session session;
    private final String protocol;
    private final String host;
    private final int port;
    private final String username;
    private final String password;
    private final InternetAddress from;
    private final Duration keepAlive;
    /** At most this many connections at once; idle ones are kept for the next message. */
    private final java.util.concurrent.Semaphore permits;
    private final java.util.concurrent.LinkedBlockingDeque<Idle> idle = new java.util.concurrent.LinkedBlockingDeque<>();
    private volatile boolean closed;

    /** A connected transport and when it was last used. */
    private record Idle(Transport transport, Instant lastUse) {
    }

    /**
     * @param clock  the Date header
     * @param config the server
     */
    @Activate
    public EmailChannel(@Reference Clock clock, EmailConfig config) {
        this.clock = clock;
        String security = config.security().strip().toLowerCase(Locale.ROOT);
        if (!security.equals("starttls") && !security.equals("smtps") && !security.equals("none")) {
            throw new MamoriException(PlatformErrors.INVALID, EmailConfig.PID + " security: starttls, smtps or none, not '"
                    + MailText.oneLine(config.security(), 20) + "'.");
        }
        this.protocol = security.equals("smtps") ? "smtps" : "smtp";
        this.host = config.host().strip();
        this.port = config.port();
        this.username = config.username().isBlank() ? null : config.username();
        this.password = config.password();
        this.keepAlive = Duration.ofSeconds(config.keep_alive_seconds());
        this.permits = new java.util.concurrent.Semaphore(config.connections(), true);
        try {
            this.from = new InternetAddress(MailText.address(config.from().strip()), MailText.oneLine(config.from_name(), 100), "UTF-8");
        } catch (IOException | MamoriException e) {
            throw new MamoriException(PlatformErrors.INVALID, EmailConfig.PID + " from: not one plain e-mail address.");
        }
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put(p + "host", host);
        props.put(p + "port", String.valueOf(port));
        props.put(p + "connectiontimeout", String.valueOf(config.timeout_seconds() * 1000));
        props.put(p + "timeout", String.valueOf(config.timeout_seconds() * 1000));
        props.put(p + "writetimeout", String.valueOf(config.timeout_seconds() * 1000));
        props.put(p + "auth", String.valueOf(username != null));
        props.put(p + "ssl.checkserveridentity", String.valueOf(config.check_server_identity()));
        props.put(p + "localhost", "mamori");
        if (security.equals("starttls")) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        } else if (security.equals("smtps")) {
            props.put(p + "ssl.enable", "true");
        } else {
            if (username != null) {
                throw new MamoriException(PlatformErrors.INVALID, EmailConfig.PID + ": a password is never sent in clear text; use "
                        + "starttls or smtps with a username.");
            }
            LOG.warn("E-mail goes to {}:{} in clear text (security = none): only for a relay on this host.", host, port);
        }
        if (!config.trust_store().isBlank()) {
            props.put(p + "ssl.socketFactory", socketFactory(Path.of(config.trust_store()), config.trust_store_password()));
        }
        this.session = withMailLoader(() -> Session.getInstance(props));
    }

    @Override
    public DeliveryResult deliver(OutgoingMessage m) {
        InternetAddress to;
        try {
            to = new InternetAddress(MailText.address(m.address()));
            if (m.displayName() != null && !m.displayName().isBlank()) {
                to.setPersonal(MailText.oneLine(m.displayName(), 100), "UTF-8");
            }
        } catch (MamoriException | MessagingException | IOException e) {
            return DeliveryResult.refused("The recipient's address is not one plain e-mail address.");
        }
        if (!MESSAGE_ID.matcher(m.messageId()).matches()) {
            return DeliveryResult.refused("Malformed Message-ID.");
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DeliveryResult.retry("Interrupted.");
        }
        try {
            return withMailLoader(() -> send(m, to));
        } finally {
            permits.release();
        }
    }

    /**
     * Sends on an idle connection without asking it first (Angus's {@code isConnected} costs a NOOP
     * round trip per message), and on a fresh one when the idle one turns out to be gone; a
     * connection goes back to the idle ones only after a clean exchange.
     */
    private DeliveryResult send(OutgoingMessage m, InternetAddress to) {
        MimeMessage msg;
        try {
            msg = message(m, to);
        } catch (MessagingException e) {
            return DeliveryResult.refused("The message could not be made: " + e.getMessage());
        }
        Idle reused = takeIdle();
        if (reused != null) {
            DeliveryResult r = exchange(reused.transport(), msg, to, true);
            if (r != null) {
                return r;
            }
        }
        Transport t;
        try {
            t = session.getTransport(protocol);
            t.connect(host, port, username, username == null ? null : password);
        } catch (AuthenticationFailedException e) {
            LOG.warn("The SMTP server {}:{} refused the credentials: {}", host, port, e.getMessage());
            return DeliveryResult.retry("The mail server refused the credentials.");
        } catch (MessagingException e) {
            return unreachable(e);
        }
        return exchange(t, msg, to, false);
    }

    /** @return the result, or null when a reused connection turned out to be gone (nothing was accepted on it) */
    private DeliveryResult exchange(Transport t, MimeMessage msg, InternetAddress to, boolean reused) {
        boolean keep = false;
        try {
            t.sendMessage(msg, new Address[] {to});
            keep = true;
            return DeliveryResult.sent(t instanceof SMTPTransport ? ((SMTPTransport) t).getLastServerResponse() : "sent");
        } catch (SMTPAddressFailedException e) {
            // the recipient was refused, the connection is fine
            keep = true;
            return result(e.getReturnCode(), e.getMessage());
        } catch (SMTPSendFailedException e) {
            return result(e.getReturnCode(), e.getMessage());
        } catch (SendFailedException e) {
            // a refused recipient comes as "Invalid Addresses" with the server's answer chained behind it
            for (Exception next = e.getNextException(); next != null;
                    next = next instanceof MessagingException ? ((MessagingException) next).getNextException() : null) {
                if (next instanceof SMTPAddressFailedException) {
                    keep = true;
                    return result(((SMTPAddressFailedException) next).getReturnCode(), next.getMessage());
                }
            }
            return DeliveryResult.retry(e.getMessage());
        } catch (MessagingException | IllegalStateException e) {
            if (reused) {
                return null;
            }
            return unreachable(e);
        } finally {
            if (keep) {
                keep(t);
            } else {
                close(t);
            }
        }
    }

    private Idle takeIdle() {
        Instant now = clock.instant();
        for (Idle i; (i = idle.pollFirst()) != null;) {
            if (Duration.between(i.lastUse(), now).compareTo(keepAlive) <= 0) {
                return i;
            }
            close(i.transport());
        }
        return null;
    }

    /**
     * A connection that failed: the answer (which tenant admins read in their delivery log) names a
     * socket failure's kind only; host, port and the library's text go to the operators' log.
     */
    private DeliveryResult unreachable(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        LOG.warn("The SMTP server {}:{} could not be used: {}", host, port, e.toString() + (root == e ? "" : " (" + root + ")"));
        if (root instanceof java.io.IOException) {
            // the socket's text names the host and port
            return DeliveryResult.retry("The mail server could not be reached (" + root.getClass().getSimpleName() + ").");
        }
        // the protocol's own refusal ("STARTTLS is required but host does not support STARTTLS"), kept
        return DeliveryResult.retry(String.valueOf(root.getMessage()));
    }

    private static DeliveryResult result(int code, String answer) {
        return code >= 500 ? DeliveryResult.refused(answer) : DeliveryResult.retry(answer);
    }

    private MimeMessage message(OutgoingMessage m, InternetAddress to) throws MessagingException {
        String id = m.messageId();
        MimeMessage msg = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", id);
            }
        };
        msg.setFrom(from);
        msg.setRecipient(Message.RecipientType.TO, to);
        msg.setSubject(MailText.oneLine(m.subject(), 200), "UTF-8");
        msg.setSentDate(Date.from(clock.instant()));
        msg.setHeader("Auto-Submitted", "auto-generated");
        msg.setHeader("Content-Language", m.locale().getLanguage().equals("ja") ? "ja" : "en");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(MailText.body(m.text()), "UTF-8", "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(m.html(), "UTF-8", "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        msg.setContent(alternative);
        msg.saveChanges();
        return msg;
    }

    private void keep(Transport t) {
        if (t == null) {
            return;
        }
        if (closed) {
            close(t);
            return;
        }
        idle.offerFirst(new Idle(t, clock.instant()));
    }

    private static void close(Transport t) {
        if (t != null) {
            try {
                t.close();
            } catch (MessagingException e) {
                LOG.debug("Closing an SMTP connection: {}", e.toString());
            }
        }
    }

    @Deactivate
    void deactivate() {
        closed = true;
        for (Idle i; (i = idle.pollFirst()) != null;) {
            close(i.transport());
        }
    }

    private static <T> T withMailLoader(java.util.function.Supplier<T> work) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(MAIL_LOADER);
        try {
            return work.get();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private static SSLSocketFactory socketFactory(Path store, String password) {
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new MamoriException(PlatformErrors.INVALID, EmailConfig.PID + " trust.store: cannot be read as PKCS#12 ("
                    + e.getClass().getSimpleName() + ").");
        }
    }
}
