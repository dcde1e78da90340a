package dev.mamori.platform.health;

import java.util.Objects;

/**
 * Outcome of a {@link HealthCheck}. The detail is shown to unauthenticated callers: it must not
 * carry secrets, host names or stack traces.
 */
public final class HealthStatus {
    private final boolean up;
    private final String detail;

    private HealthStatus(boolean up, String detail) {
        this.up = up;
        this.detail = Objects.requireNonNull(detail);
    }

    /** @param detail short public note @return an UP status */
    public static HealthStatus up(String detail) {
        return new HealthStatus(true, detail);
    }

    /** @param detail short public reason @return a DOWN status */
    public static HealthStatus down(String detail) {
        return new HealthStatus(false, detail);
    }

    /** @return whether the checked part works */
    public boolean isUp() {
        return up;
    }

    /** @return short public note */
    public String detail() {
        return detail;
    }
}
