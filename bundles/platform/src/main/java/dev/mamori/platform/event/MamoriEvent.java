package dev.mamori.platform.event;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PrincipalKind;

/**
 * Something that happened, in one shape for every capability: a type from a stable vocabulary
 * (constants in each capability's {@code ...Events} class, e.g. {@code tenant.deleted},
 * {@code vault.key.destroyed}), when, for which tenant, who acted from where in which request
 * (taken from the {@link ExecutionContext}), on what target, with which outcome, and a few details.
 *
 * <p>Details are short tokens (ids, versions, states, counts), never personal data, key material
 * or free text a caller typed: they end up in the audit trail, which is kept for 12 months.
 */
public final class MamoriEvent {
    private static final Pattern TYPE = Pattern.compile("[a-z]+(\\.[a-z0-9-]+)+");
    private static final Pattern KEY = Pattern.compile("[a-z][a-zA-Z0-9.-]{0,63}");
    private static final int MAX_VALUE = 256;
    private static final int MAX_DETAILS = 32;

    /** How the action ended. */
    public enum Outcome {
        /** It happened. */
        SUCCESS,
        /** It was attempted and failed. */
        FAILURE,
        /** It was refused (authorisation, policy). */
        DENIED
    }

    private final String type;
    private final Instant at;
    private final String tenantId;
    private final String principalId;
    private final PrincipalKind principalKind;
    private final String channel;
    private final String requestId;
    private final String clientIp;
    private final String purpose;
    private final String targetType;
    private final String targetId;
    private final Outcome outcome;
    private final Map<String, String> details;

    private MamoriEvent(Builder b, Instant at, ExecutionContext context) {
        this.type = b.type;
        this.at = Objects.requireNonNull(at, "at");
        this.tenantId = b.tenantId != null ? b.tenantId : context == null ? null : context.tenantId().orElse(null);
        this.principalId = context == null ? null : context.principal().map(p -> p.id()).orElse(null);
        this.principalKind = context == null ? null : context.principal().map(p -> p.kind()).orElse(null);
        this.channel = context == null ? null : context.channel().name();
        this.requestId = context == null ? null : context.requestId();
        this.clientIp = context == null ? null : context.clientIp().orElse(null);
        this.purpose = context == null ? null : context.purpose().orElse(null);
        this.targetType = b.targetType;
        this.targetId = b.targetId;
        this.outcome = b.outcome;
        this.details = Collections.unmodifiableMap(new TreeMap<>(b.details));
    }

    /**
     * @param type the event type, dotted lower-case words, capability first ({@code vault.key.created})
     * @return a builder; the publisher stamps time and context
     */
    public static Builder builder(String type) {
        return new Builder(type);
    }

    /** @return the type */
    public String type() { return type; }
    /** @return when (from the platform clock) */
    public Instant at() { return at; }
    /** @return the tenant concerned, if any */
    public Optional<String> tenantId() { return Optional.ofNullable(tenantId); }
    /** @return who acted, if known */
    public Optional<String> principalId() { return Optional.ofNullable(principalId); }
    /** @return the kind of who acted, if known */
    public Optional<PrincipalKind> principalKind() { return Optional.ofNullable(principalKind); }
    /** @return where the call came in (REST, SHELL, JOB, INTERNAL), if known */
    public Optional<String> channel() { return Optional.ofNullable(channel); }
    /** @return the request id, if known */
    public Optional<String> requestId() { return Optional.ofNullable(requestId); }
    /** @return the caller's IP address (AUD-2, OPS-3), if known */
    public Optional<String> clientIp() { return Optional.ofNullable(clientIp); }
    /** @return the platform purpose, if the platform acted on a tenant's data */
    public Optional<String> purpose() { return Optional.ofNullable(purpose); }
    /** @return what was acted on (e.g. {@code tenant}, {@code data-key}), if anything */
    public Optional<String> targetType() { return Optional.ofNullable(targetType); }
    /** @return the id of what was acted on, if anything */
    public Optional<String> targetId() { return Optional.ofNullable(targetId); }
    /** @return the outcome */
    public Outcome outcome() { return outcome; }
    /** @return the details, sorted by key */
    public Map<String, String> details() { return details; }

    @Override
    public String toString() {
        return type + " " + outcome + (tenantId != null ? " tenant=" + tenantId : "")
                + (targetType != null ? " " + targetType + "=" + targetId : "") + " by "
                + (principalId == null ? "anonymous" : principalKind + ":" + principalId)
                + (clientIp != null ? " from " + clientIp : "") + (requestId != null ? " request=" + requestId : "")
                + (details.isEmpty() ? "" : " " + details) + " at " + at;
    }

    /** Builds a {@link MamoriEvent}; {@link EventPublisher#publish} stamps it. */
    public static final class Builder {
        private final String type;
        private String tenantId;
        private String targetType;
        private String targetId;
        private Outcome outcome = Outcome.SUCCESS;
        private final Map<String, String> details = new TreeMap<>();

        private Builder(String type) {
            if (type == null || type.length() > 100 || !TYPE.matcher(type).matches()) {
                throw new IllegalArgumentException("An event type is dotted lower-case words, e.g. vault.key.created: " + type);
            }
            this.type = type;
        }

        /** @param tenantId the tenant concerned (default: the context's tenant) @return this */
        public Builder tenant(String tenantId) {
            this.tenantId = tenantId;
            return this;
        }

        /**
         * @param type what kind of thing was acted on, e.g. {@code data-key}
         * @param id   its id
         * @return this
         */
        public Builder target(String type, String id) {
            this.targetType = token(type, "target type");
            this.targetId = token(id, "target id");
            return this;
        }

        /** @param outcome how it ended (default SUCCESS) @return this */
        public Builder outcome(Outcome outcome) {
            this.outcome = Objects.requireNonNull(outcome, "outcome");
            return this;
        }

        /**
         * @param key   camelCase or dotted key
         * @param value short token (no personal data); null values are left out
         * @return this
         */
        public Builder detail(String key, Object value) {
            if (key == null || !KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("Invalid event detail key: " + key);
            }
            if (value != null) {
                if (details.size() >= MAX_DETAILS && !details.containsKey(key)) {
                    throw new IllegalArgumentException("An event has at most " + MAX_DETAILS + " details.");
                }
                details.put(key, token(String.valueOf(value), key));
            }
            return this;
        }

        /**
         * @param at      when
         * @param context who, from where (may be null)
         * @return the event
         */
        public MamoriEvent build(Instant at, ExecutionContext context) {
            return new MamoriEvent(this, at, context);
        }

        /** @return the type */
        public String type() {
            return type;
        }

        private static String token(String value, String what) {
            if (value == null || value.isEmpty() || value.length() > MAX_VALUE || value.codePoints().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("An event " + what + " is 1-" + MAX_VALUE + " printable characters.");
            }
            return value;
        }
    }
}
