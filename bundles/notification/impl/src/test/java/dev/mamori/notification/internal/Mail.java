package dev.mamori.notification.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import dev.mamori.testsupport.MutableClock;

/** E-mail channels for tests, configured as etc/dev.mamori.notification.email.cfg would. */
final class Mail {
    private Mail() {
    }

    /** @param values attributes by method name (host, port, security, ...) @return the configuration, defaults elsewhere */
    static EmailConfig config(Map<String, Object> values) {
        return (EmailConfig) Proxy.newProxyInstance(Mail.class.getClassLoader(), new Class<?>[] {EmailConfig.class}, (p, m, a) -> {
            if (m.getName().equals("annotationType")) {
                return EmailConfig.class;
            }
            Object v = values.get(m.getName());
            return v != null ? v : m.getDefaultValue();
        });
    }

    static EmailChannel channel(MutableClock clock, Map<String, Object> values) {
        return new EmailChannel(clock, config(values));
    }

    /** @return GreenMail's own test key store (self-signed), as a file: the server's certificate for the client to trust */
    static Path greenMailStore() {
        try (InputStream in = Mail.class.getResourceAsStream("/greenmail.p12")) {
            Path p = Files.createTempFile("greenmail", ".p12");
            p.toFile().deleteOnExit();
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
