package dev.mamori.notification.spi;

import java.util.Locale;
import java.util.Objects;

/**
 * One rendered message for one recipient. Subject and texts are what the template made of what
 * operators and tenants typed: the subject is one line (no line breaks or control characters), the
 * HTML is escaped; a channel still treats every field as untrusted.
 *
 * @param messageId      stable per delivery, e.g. {@code <id@host>}: the same on every attempt
 * @param notificationId the notification it belongs to
 * @param template       what kind of notification, e.g. {@code incident.notice}
 * @param tenantId       the recipient's tenant, or null for the platform's operators
 * @param userId         the recipient's account, or null for an address from the configuration
 * @param address        the e-mail address, or null where the channel needs none
 * @param displayName    the recipient's name, or null
 * @param locale         the language the message was rendered in
 * @param subject        one line
 * @param text           plain text
 * @param html           HTML with everything typed escaped
 */
public record OutgoingMessage(String messageId, String notificationId, String template, String tenantId, String userId, String address,
        String displayName, Locale locale, String subject, String text, String html) {
    public OutgoingMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(notificationId, "notificationId");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(locale, "locale");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
    }
}
