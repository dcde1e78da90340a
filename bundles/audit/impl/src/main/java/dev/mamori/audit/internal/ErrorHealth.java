package dev.mamori.audit.internal;

import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.health.HealthCheck;
import dev.mamori.platform.health.HealthStatus;

/**
 * Health check {@code errors}: how many ERROR and FATAL log events the server had since it
 * started, and where the last one was (AUD-5). Always up: an error logged is for operators to look
 * at, not a reason to take the server out of service. The detail is public, so it names the
 * logger only, never a message (messages may carry host names or data).
 */
@Component(service = HealthCheck.class)
public class ErrorHealth implements HealthCheck {
    private final ErrorAlerts alerts;

    /** @param alerts the error counts */
    @Activate
    public ErrorHealth(@Reference ErrorAlerts alerts) {
        this.alerts = alerts;
    }

    @Override
    public String name() {
        return "errors";
    }

    @Override
    public HealthStatus check() {
        ErrorAlerts.Summary s = alerts.summary();
        if (s.total() == 0 || s.last().isEmpty()) {
            return HealthStatus.up("no errors since start");
        }
        return HealthStatus.up(s.total() + " error(s) since start; last "
                + s.last().get().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + " in " + s.lastLogger());
    }
}
