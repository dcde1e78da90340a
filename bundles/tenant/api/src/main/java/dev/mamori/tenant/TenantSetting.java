package dev.mamori.tenant;

import java.time.Instant;
import java.util.Objects;

/**
 * One configuration entry that belongs to a tenant (TEN-7): visible only inside that tenant's
 * context.
 */
public final class TenantSetting {
    private final String id;
    private final String key;
    private final String value;
    private final Instant updatedAt;

    /**
     * @param id        opaque id
     * @param key       setting name
     * @param value     setting value
     * @param updatedAt last change
     */
    public TenantSetting(String id, String key, String value, Instant updatedAt) {
        this.id = Objects.requireNonNull(id);
        this.key = Objects.requireNonNull(key);
        this.value = Objects.requireNonNull(value);
        this.updatedAt = Objects.requireNonNull(updatedAt);
    }

    /** @return opaque id */
    public String id() { return id; }
    /** @return name */
    public String key() { return key; }
    /** @return value */
    public String value() { return value; }
    /** @return last change */
    public Instant updatedAt() { return updatedAt; }

    @Override
    public String toString() {
        return key + "=" + value;
    }
}
