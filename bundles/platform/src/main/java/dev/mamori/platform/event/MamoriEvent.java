package dev.mamori.platform.event;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;

/**
 * Something that happened, in one shape for every capability: an id, a type declared once as an
 * {@link EventType} constant of the capability's {@code ...Events} class, when (an instant, written
 * out in the configured zone, AUD-6), for which tenant, who acted (id, kind, roles) from where (client
 * address, user agent) in which request — taken from the {@link ExecutionContext} —, on what target,
 * with which outcome, and a few details under the keys its type declares.
 *
 * <p>Details are short tokens (ids, versions, states, counts), never personal data, key material
 * or free text a caller typed: they end up in the audit trail, which is kept for 12 months.
 * {@link EventEncoding} writes an event as the canonical bytes the audit log hashes.
 */
public final class MamoriEvent {
    /** The version of the event schema (the fields below and {@link EventEncoding}'s canonical form). */
    public static final int SCHEMA_VERSION = 1;
    /** System property: {@code true} refuses an undeclared detail key, {@code false} leaves it out (default: whether assertions are on, i.e. in tests). */
    public static final String STRICT_PROPERTY = "mamori.events.strict";
    static final int MAX_VALUE = 256;
    private static final Logger LOG = LoggerFactory.getLogger(MamoriEvent.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** How the action ended. */
    public enum Outcome {
        /** It happened (a read: the data was read). */
        SUCCESS,
        /** It was attempted and failed. */
        FAILURE,
        /** It was refused (authorisation, policy). */
        DENIED
    }

    private final UUID id;
    private final int version;
    private final String type;
    private final Instant at;
    private final ZoneOffset offset;
    private final String tenantId;
    private final String principalId;
    private final PrincipalKind principalKind;
    private final Set<String> principalRoles;
    private final String channel;
    private final String requestId;
    private final String clientIp;
    private final String userAgent;
    private final String purpose;
    private final String targetType;
    private final String targetId;
    private final Outcome outcome;
    private final Map<String, String> details;

    private MamoriEvent(Builder b, Instant at, ZoneId zone, ExecutionContext context) {
        // milliseconds: what the database keeps of an instant is what the canonical form says
        this.at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MILLIS);
        this.offset = offset(this.at, zone);
        this.id = uuid7(this.at.toEpochMilli());
        this.version = SCHEMA_VERSION;
        this.type = b.type.name();
        Principal p = context == null ? null : context.principal().orElse(null);
        this.tenantId = b.tenantId != null ? b.tenantId : context == null ? null : context.tenantId().map(MamoriEvent::clean).orElse(null);
        this.principalId = p == null ? null : clean(p.id());
        this.principalKind = p == null ? null : p.kind();
        Set<String> roles = new TreeSet<>();
        if (p != null) {
            p.roles().forEach(r -> roles.add(clean(r)));
        }
        this.principalRoles = Collections.unmodifiableSet(roles);
        this.channel = context == null ? null : context.channel().name();
        this.requestId = context == null ? null : clean(context.requestId());
        this.clientIp = context == null ? null : context.clientIp().map(MamoriEvent::clean).orElse(null);
        this.userAgent = context == null ? null : context.userAgent().map(MamoriEvent::clean).orElse(null);
        this.purpose = context == null ? null : context.purpose().map(MamoriEvent::clean).orElse(null);
        this.targetType = b.targetType;
        this.targetId = b.targetId;
        this.outcome = b.outcome;
        this.details = Collections.unmodifiableMap(new TreeMap<>(b.details));
    }

    /** An event as {@link EventEncoding#decode} read it: every field given, each already checked. */
    MamoriEvent(UUID id, int version, String type, OffsetDateTime time, String tenantId, String principalId, PrincipalKind principalKind,
            Set<String> principalRoles, String channel, String requestId, String clientIp, String userAgent, String purpose,
            String targetType, String targetId, Outcome outcome, Map<String, String> details) {
        this.id = Objects.requireNonNull(id, "id");
        this.version = version;
        this.type = EventType.checkName(type);
        this.at = time.toInstant();
        this.offset = time.getOffset();
        this.tenantId = tenantId;
        this.principalId = principalId;
        this.principalKind = principalKind;
        this.principalRoles = Collections.unmodifiableSet(new TreeSet<>(principalRoles));
        this.channel = channel;
        this.requestId = requestId;
        this.clientIp = clientIp;
        this.userAgent = userAgent;
        this.purpose = purpose;
        this.targetType = targetType;
        this.targetId = targetId;
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.details = Collections.unmodifiableMap(new TreeMap<>(details));
    }

    /**
     * @param type the event's type, a constant of the publishing capability's {@code ...Events} class
     * @return a builder; the publisher stamps id, time and context
     */
    public static Builder builder(EventType type) {
        return new Builder(Objects.requireNonNull(type, "type"));
    }

    /** @return the event's id: a UUIDv7 (RFC 9562), unique, ordered by time to the millisecond */
    public UUID id() { return id; }
    /** @return the version of the event schema it was written in ({@link #SCHEMA_VERSION} for new events) */
    public int version() { return version; }
    /** @return the type's name */
    public String type() { return type; }
    /** @param t a type @return whether this event is of that type */
    public boolean is(EventType t) { return t.is(type); }
    /** @return whether this is a read of tenant data (its type was declared with {@link EventType#read}) */
    public boolean isRead() { return type.endsWith(EventType.READ_SUFFIX); }
    /** @return when (from the platform clock, to the millisecond) */
    public Instant at() { return at; }
    /** @return when, in the zone the platform clock was configured with at that moment (AUD-6) */
    public OffsetDateTime time() { return OffsetDateTime.ofInstant(at, offset); }
    /** @return the tenant concerned, if any */
    public Optional<String> tenantId() { return Optional.ofNullable(tenantId); }
    /** @return who acted, if known */
    public Optional<String> principalId() { return Optional.ofNullable(principalId); }
    /** @return the kind of who acted, if known */
    public Optional<PrincipalKind> principalKind() { return Optional.ofNullable(principalKind); }
    /** @return the roles of who acted, sorted (empty if unknown) */
    public Set<String> principalRoles() { return principalRoles; }
    /** @return where the call came in (REST, SHELL, JOB, INTERNAL), if known */
    public Optional<String> channel() { return Optional.ofNullable(channel); }
    /** @return the request id, if known */
    public Optional<String> requestId() { return Optional.ofNullable(requestId); }
    /** @return the caller's IP address (AUD-2, OPS-3), if known */
    public Optional<String> clientIp() { return Optional.ofNullable(clientIp); }
    /** @return the caller's user agent, if known */
    public Optional<String> userAgent() { return Optional.ofNullable(userAgent); }
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
    public boolean equals(Object o) {
        if (!(o instanceof MamoriEvent)) {
            return false;
        }
        MamoriEvent e = (MamoriEvent) o;
        return id.equals(e.id) && version == e.version && type.equals(e.type) && at.equals(e.at) && offset.equals(e.offset)
                && Objects.equals(tenantId, e.tenantId) && Objects.equals(principalId, e.principalId) && principalKind == e.principalKind
                && principalRoles.equals(e.principalRoles) && Objects.equals(channel, e.channel) && Objects.equals(requestId, e.requestId)
                && Objects.equals(clientIp, e.clientIp) && Objects.equals(userAgent, e.userAgent) && Objects.equals(purpose, e.purpose)
                && Objects.equals(targetType, e.targetType) && Objects.equals(targetId, e.targetId) && outcome == e.outcome
                && details.equals(e.details);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return type + " " + outcome + (tenantId != null ? " tenant=" + tenantId : "")
                + (targetType != null ? " " + targetType + "=" + targetId : "") + " by "
                + (principalId == null ? "anonymous" : principalKind + ":" + principalId)
                + (clientIp != null ? " from " + clientIp : "") + (requestId != null ? " request=" + requestId : "")
                + (details.isEmpty() ? "" : " " + details) + " at " + time() + " id=" + id;
    }

    /** A UUIDv7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, version, 74 random bits, variant. */
    static UUID uuid7(long millis) {
        byte[] r = new byte[10];
        RANDOM.nextBytes(r);
        long msb = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (r[0] & 0x0FL) << 8 | r[1] & 0xFFL;
        long lsb = 0x8000_0000_0000_0000L | (r[2] & 0x3FL) << 56;
        for (int i = 3; i < 10; i++) {
            lsb |= (r[i] & 0xFFL) << (8 * (9 - i));
        }
        return new UUID(msb, lsb);
    }

    /** The zone's offset at that instant; one with seconds (only historic local mean times have them) is written as UTC. */
    private static ZoneOffset offset(Instant at, ZoneId zone) {
        ZoneOffset o = zone.getRules().getOffset(at);
        return o.getTotalSeconds() % 60 == 0 ? o : ZoneOffset.UTC;
    }

    /** Caller-controlled text from the context (user agent, addresses) stays on one line and is valid Unicode. */
    static String clean(String s) {
        String cut = s.length() > MAX_VALUE ? s.substring(0, MAX_VALUE) : s;
        if (firstBad(cut) < 0) {
            return cut;
        }
        StringBuilder b = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < cut.length() && Character.isLowSurrogate(cut.charAt(i + 1))) {
                b.append(c).append(cut.charAt(++i));
            } else {
                b.append(bad(c) ? '?' : c);
            }
        }
        return b.toString();
    }

    /** @return the index of the first character a value may not hold, or -1 */
    static int firstBad(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (bad(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Control and format characters, line and paragraph separators, unpaired surrogates. */
    private static boolean bad(char c) {
        if (c >= 0x20 && c < 0x7F) {
            return false;
        }
        int t = Character.getType(c);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR
                || t == Character.SURROGATE;
    }

    /** @return whether undeclared detail keys are refused (tests) rather than left out (production) */
    static boolean strict() {
        String p = System.getProperty(STRICT_PROPERTY);
        return p != null ? Boolean.parseBoolean(p) : MamoriEvent.class.desiredAssertionStatus();
    }

    /** Builds a {@link MamoriEvent}; {@link EventPublisher#publish} stamps it. */
    public static final class Builder {
        private final EventType type;
        private String tenantId;
        private String targetType;
        private String targetId;
        private Outcome outcome = Outcome.SUCCESS;
        private final Map<String, String> details = new TreeMap<>();

        private Builder(EventType type) {
            this.type = type;
        }

        /** @param tenantId the tenant concerned (default: the context's tenant) @return this */
        public Builder tenant(String tenantId) {
            this.tenantId = tenantId == null ? null : token(tenantId, "tenant id");
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
         * A detail under a key the type declares. An undeclared key is a programming error: refused
         * (IllegalArgumentException) in tests — whenever assertions are on, or with the system property
         * {@value MamoriEvent#STRICT_PROPERTY}{@code =true} —; in production the detail is left out and
         * the error logged, so that the action and its event still happen and the value never reaches
         * the audit trail.
         *
         * @param key   a key the type declares
         * @param value short token (no personal data): 1-256 characters, no control or format
         *              characters, no line breaks; null values are left out
         * @return this
         */
        public Builder detail(String key, Object value) {
            if (!type.declares(key)) {
                if (strict()) {
                    throw new IllegalArgumentException("Event type " + type.name() + " declares no detail '" + key
                            + "' (it declares " + type.detailKeys() + ").");
                }
                LOG.error("Event type {} declares no detail '{}' (it declares {}): the detail was left out.",
                        type.name(), key == null || !EventType.KEY.matcher(key).matches() ? "?" : key, type.detailKeys());
                return this;
            }
            if (value != null) {
                details.put(key, token(String.valueOf(value), key));
            }
            return this;
        }

        /**
         * @param clock   the platform clock: its instant and the offset of its zone then (AUD-6)
         * @param context who, from where (may be null)
         * @return the event, with a new id
         */
        public MamoriEvent build(Clock clock, ExecutionContext context) {
            return new MamoriEvent(this, clock.instant(), clock.getZone(), context);
        }

        /**
         * @param at      when (written out in UTC)
         * @param context who, from where (may be null)
         * @return the event, with a new id
         */
        public MamoriEvent build(Instant at, ExecutionContext context) {
            return new MamoriEvent(this, at, ZoneOffset.UTC, context);
        }

        /** @return the type's name */
        public String type() {
            return type.name();
        }

        /** @return the type */
        public EventType eventType() {
            return type;
        }

        static String token(String value, String what) {
            if (value == null || value.isEmpty() || value.length() > MAX_VALUE || firstBad(value) >= 0) {
                throw new IllegalArgumentException("An event " + what + " is 1-" + MAX_VALUE
                        + " characters without control or format characters or line breaks.");
            }
            return value;
        }
    }
}
