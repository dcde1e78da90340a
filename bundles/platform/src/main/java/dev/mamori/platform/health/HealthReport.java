package dev.mamori.platform.health;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The server's readiness: ready when every required check is registered and every registered
 * check is up. A required check that is not registered is reported DOWN ("not registered").
 */
public final class HealthReport {
    private final boolean ready;
    private final Map<String, HealthStatus> checks;

    /**
     * @param ready  whether the server is ready
     * @param checks each check's state by name
     */
    public HealthReport(boolean ready, Map<String, HealthStatus> checks) {
        this.ready = ready;
        this.checks = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(checks)));
    }

    /** @return whether the server is ready */
    public boolean ready() {
        return ready;
    }

    /** @return each check's state, by name */
    public Map<String, HealthStatus> checks() {
        return checks;
    }
}
