package dev.mamori.notification.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;

/**
 * The notification configuration as values.
 *
 * @param operatorEmails  where operator alerts go
 * @param defaultLocale   the language of recipients whose profile names none
 * @param maxAttempts     attempts per delivery
 * @param retryBase       wait before the second attempt
 * @param retryMax        longest wait
 * @param lease           an attempt's lease
 * @param alertBefore     alert thresholds before a deadline, largest first
 * @param messageIdDomain the right-hand side of Message-IDs
 * @param maintenanceNotice how long before its window maintenance must be announced
 * @param errorAlertEvery   at most one error alert per this long
 * @param slaTarget         the monthly availability target, percent
 * @param parallel          delivery attempts made side by side
 */
record Settings(List<String> operatorEmails, Locale defaultLocale, int maxAttempts, Duration retryBase, Duration retryMax,
        Duration lease, List<Duration> alertBefore, String messageIdDomain, Duration maintenanceNotice, Duration errorAlertEvery,
        java.math.BigDecimal slaTarget, int parallel) {
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*");

    static Settings of(NotificationConfig c) {
        List<String> emails = new ArrayList<>();
        // a .cfg line "a,b" reaches a String[] attribute as one element
        for (String e : String.join(",", c.operator_emails()).split(",")) {
            if (!e.isBlank()) {
                emails.add(MailText.address(e.strip()));
            }
        }
        TreeSet<Long> hours = new TreeSet<>();
        for (String h : String.join(",", c.alert_before_hours()).split(",")) {
            if (h.isBlank()) {
                continue;
            }
            try {
                long v = Long.parseLong(h.strip());
                if (v < 1 || v > 720) {
                    throw new NumberFormatException();
                }
                hours.add(v);
            } catch (NumberFormatException e) {
                throw new MamoriException(PlatformErrors.INVALID, "dev.mamori.notification alert.before.hours: '" + h
                        + "' is not a number of hours (1-720).");
            }
        }
        List<Duration> before = new ArrayList<>();
        hours.descendingSet().forEach(h -> before.add(Duration.ofHours(h)));
        if (!DOMAIN.matcher(c.message_id_domain()).matches()) {
            throw new MamoriException(PlatformErrors.INVALID, "dev.mamori.notification message.id.domain: not a domain name.");
        }
        java.math.BigDecimal target;
        try {
            target = new java.math.BigDecimal(c.sla_target_percent().strip());
        } catch (NumberFormatException e) {
            target = null;
        }
        if (target == null || target.signum() <= 0 || target.compareTo(java.math.BigDecimal.valueOf(100)) > 0) {
            throw new MamoriException(PlatformErrors.INVALID, "dev.mamori.notification sla.target.percent: a percentage above 0, at most 100.");
        }
        return new Settings(List.copyOf(emails), Templates.locale(c.default_locale(), Locale.JAPANESE), c.max_attempts(),
                Duration.ofSeconds(c.retry_base_seconds()), Duration.ofMinutes(c.retry_max_minutes()), Duration.ofSeconds(c.lease_seconds()),
                List.copyOf(before), c.message_id_domain(), Duration.ofHours(c.maintenance_notice_hours()),
                Duration.ofMinutes(c.error_alert_minutes()), target, c.delivery_parallel());
    }

    /** @param attempts attempts made so far (1 after the first) @return the wait before the next one */
    Duration backoff(int attempts) {
        Duration d = retryBase;
        for (int i = 1; i < attempts && d.compareTo(retryMax) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(retryMax) > 0 ? retryMax : d;
    }
}
