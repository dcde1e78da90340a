package dev.mamori.platform.event;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.mamori.platform.context.PrincipalKind;

/**
 * The canonical byte form of a {@link MamoriEvent}: what the audit log stores and an RFC 9162
 * leaf hashes ({@code SHA-256(0x00 ‖ bytes)}), so that anyone can recompute it from the decoded
 * entry. It is the UTF-8 RFC 8785 (JCS) serialization of one JSON object, schema version 1:
 *
 * <pre>
 * v          integer  1
 * id         string   UUIDv7, lower-case 8-4-4-4-12 hex
 * type       string   e.g. auth.sign-in.failed
 * time       string   RFC 3339, exactly 3 fraction digits, the numeric offset of the configured zone
 *                     at that instant (never "Z"): 2026-11-29T09:00:00.000+09:00
 * outcome    string   SUCCESS | FAILURE | DENIED
 * tenant     string   the tenant concerned                                  (if any)
 * actor      object   {"id": string, "kind": USER|OPERATOR|SUPPORT|SYSTEM|PLUGIN,
 *                      "roles": [string, ... sorted]  (left out when empty)} (if known)
 * channel    string   REST | SHELL | JOB | INTERNAL                         (if known)
 * requestId  string                                                         (if known)
 * clientIp   string                                                         (if known)
 * userAgent  string                                                         (if known)
 * purpose    string   the platform purpose                                  (if any)
 * target     object   {"type": string, "id": string}                        (if any)
 * details    object   {key: string, ...}                                    (left out when empty)
 * </pre>
 *
 * Absent values are left out (never {@code null}); no other member exists in version 1. JCS sorts
 * the members by the UTF-16 code units of their names. Every string is 1-256 characters without
 * control or format characters, line breaks or unpaired surrogates, so only {@code "} and
 * {@code \} are ever escaped ({@code \"}, {@code \\}); everything else is written as its UTF-8
 * bytes. No whitespace anywhere.
 */
public final class EventEncoding {
    private static final Pattern UUID7 = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}[+-]\\d{2}:\\d{2}");
    private static final Set<String> MEMBERS = Set.of("v", "id", "type", "time", "outcome", "tenant", "actor", "channel", "requestId",
            "clientIp", "userAgent", "purpose", "target", "details");
    private static final Set<String> CHANNELS = Set.of("REST", "SHELL", "JOB", "INTERNAL");

    private EventEncoding() {
    }

    /**
     * @param event an event
     * @return its canonical bytes (UTF-8 JCS), the same on every JVM whatever its default locale, zone or charset
     */
    public static byte[] encode(MamoriEvent event) {
        return text(event).getBytes(StandardCharsets.UTF_8);
    }

    /** @param event an event @return its canonical JSON text (the characters {@link #encode} writes as UTF-8) */
    public static String text(MamoriEvent event) {
        // the members in JCS order (UTF-16 code units of their names), written straight out
        StringBuilder b = new StringBuilder(512);
        b.append('{');
        if (event.principalId().isPresent()) {
            b.append("\"actor\":{\"id\":");
            Jcs.string(b, event.principalId().get());
            b.append(",\"kind\":\"").append(event.principalKind().orElseThrow().name()).append('"');
            if (!event.principalRoles().isEmpty()) {
                b.append(",\"roles\":[");
                boolean first = true;
                for (String r : event.principalRoles()) {
                    b.append(first ? "" : ",");
                    first = false;
                    Jcs.string(b, r);
                }
                b.append(']');
            }
            b.append("},");
        }
        member(b, "channel", event.channel().orElse(null));
        member(b, "clientIp", event.clientIp().orElse(null));
        if (!event.details().isEmpty()) {
            b.append("\"details\":{");
            boolean first = true;
            for (Map.Entry<String, String> d : event.details().entrySet()) {
                b.append(first ? "" : ",");
                first = false;
                Jcs.string(b, d.getKey());
                b.append(':');
                Jcs.string(b, d.getValue());
            }
            b.append("},");
        }
        member(b, "id", event.id().toString());
        member(b, "outcome", event.outcome().name());
        member(b, "purpose", event.purpose().orElse(null));
        member(b, "requestId", event.requestId().orElse(null));
        if (event.targetType().isPresent()) {
            b.append("\"target\":{\"id\":");
            Jcs.string(b, event.targetId().orElseThrow());
            b.append(",\"type\":");
            Jcs.string(b, event.targetType().get());
            b.append("},");
        }
        member(b, "tenant", event.tenantId().orElse(null));
        member(b, "time", time(event.time()));
        member(b, "type", event.type());
        member(b, "userAgent", event.userAgent().orElse(null));
        b.append("\"v\":").append(event.version()).append('}');
        return b.toString();
    }

    private static void member(StringBuilder b, String name, String value) {
        if (value != null) {
            b.append('"').append(name).append("\":");
            Jcs.string(b, value);
            b.append(',');
        }
    }

    /**
     * Reads canonical bytes back, for a verifier: only the exact canonical encoding of a valid
     * event is accepted (it is encoded again and compared byte for byte).
     *
     * @param canonical bytes {@link #encode} wrote
     * @return the event
     * @throws IllegalArgumentException if they are not the canonical encoding of a version 1 event
     */
    public static MamoriEvent decode(byte[] canonical) {
        Object parsed = Jcs.parse(canonical);
        if (!(parsed instanceof Map)) {
            throw new IllegalArgumentException("Not an event: not a JSON object.");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) parsed;
        for (String k : m.keySet()) {
            if (!MEMBERS.contains(k)) {
                throw new IllegalArgumentException("Not an event of schema version 1: unknown member '" + k + "'.");
            }
        }
        Object v = m.get("v");
        if (!(v instanceof Long) || (Long) v != MamoriEvent.SCHEMA_VERSION) {
            throw new IllegalArgumentException("Not an event of schema version 1: v is " + v + ".");
        }
        String id = required(m, "id");
        if (!UUID7.matcher(id).matches()) {
            throw new IllegalArgumentException("Not an event: id is not a lower-case UUIDv7.");
        }
        String time = required(m, "time");
        OffsetDateTime at;
        try {
            if (!TIME.matcher(time).matches()) {
                throw new DateTimeParseException("not yyyy-mm-ddThh:mm:ss.sss±hh:mm", time, 0);
            }
            at = OffsetDateTime.parse(time);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Not an event: time is not RFC 3339 with milliseconds and an offset.", e);
        }
        MamoriEvent.Outcome outcome = enumOf(MamoriEvent.Outcome.class, required(m, "outcome"), "outcome");
        String channel = optional(m, "channel");
        if (channel != null && !CHANNELS.contains(channel)) {
            throw new IllegalArgumentException("Not an event: unknown channel.");
        }
        String principalId = null;
        PrincipalKind kind = null;
        Set<String> roles = new TreeSet<>();
        Map<String, Object> actor = object(m, "actor", Set.of("id", "kind", "roles"));
        if (actor != null) {
            principalId = required(actor, "id");
            kind = enumOf(PrincipalKind.class, required(actor, "kind"), "actor kind");
            Object r = actor.get("roles");
            if (r != null) {
                if (!(r instanceof List) || ((List<?>) r).isEmpty()) {
                    throw new IllegalArgumentException("Not an event: actor roles is not a non-empty array.");
                }
                for (Object role : (List<?>) r) {
                    if (!(role instanceof String)) {
                        throw new IllegalArgumentException("Not an event: a role is not a string.");
                    }
                    roles.add(MamoriEvent.Builder.token((String) role, "role"));
                }
            }
        }
        String targetType = null;
        String targetId = null;
        Map<String, Object> target = object(m, "target", Set.of("type", "id"));
        if (target != null) {
            targetType = required(target, "type");
            targetId = required(target, "id");
        }
        Map<String, String> details = new TreeMap<>();
        Map<String, Object> d = object(m, "details", null);
        if (d != null) {
            if (d.isEmpty() || d.size() > EventType.MAX_DETAILS) {
                throw new IllegalArgumentException("Not an event: details must hold 1-" + EventType.MAX_DETAILS + " members.");
            }
            for (String k : d.keySet()) {
                if (!EventType.KEY.matcher(k).matches()) {
                    throw new IllegalArgumentException("Not an event: invalid detail key.");
                }
                details.put(k, required(d, k));
            }
        }
        MamoriEvent e = new MamoriEvent(UUID.fromString(id), MamoriEvent.SCHEMA_VERSION, required(m, "type"), at, optional(m, "tenant"),
                principalId, kind, roles, channel, optional(m, "requestId"), optional(m, "clientIp"), optional(m, "userAgent"),
                optional(m, "purpose"), targetType, targetId, outcome, details);
        if (!Arrays.equals(encode(e), canonical)) {
            throw new IllegalArgumentException("Not the canonical encoding of the event it describes (member order, whitespace, "
                    + "escapes or time form differ).");
        }
        return e;
    }

    /** {@code yyyy-MM-ddTHH:mm:ss.SSS±hh:mm}, written by hand: no locale, no default zone, always the same digits. */
    static String time(OffsetDateTime t) {
        LocalDateTime l = t.toLocalDateTime();
        ZoneOffset o = t.getOffset();
        if (l.getYear() < 0 || l.getYear() > 9999) {
            throw new IllegalArgumentException("A year outside 0000-9999 has no RFC 3339 form: " + l.getYear());
        }
        StringBuilder b = new StringBuilder(29);
        pad(b, l.getYear(), 4).append('-');
        pad(b, l.getMonthValue(), 2).append('-');
        pad(b, l.getDayOfMonth(), 2).append('T');
        pad(b, l.getHour(), 2).append(':');
        pad(b, l.getMinute(), 2).append(':');
        pad(b, l.getSecond(), 2).append('.');
        pad(b, l.getNano() / 1_000_000, 3);
        int secs = o.getTotalSeconds();
        b.append(secs < 0 ? '-' : '+');
        secs = Math.abs(secs);
        pad(b, secs / 3600, 2).append(':');
        pad(b, secs / 60 % 60, 2);
        return b.toString();
    }

    private static StringBuilder pad(StringBuilder b, int n, int width) {
        String s = Integer.toString(n);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }

    private static String required(Map<String, Object> m, String key) {
        String s = optional(m, key);
        if (s == null) {
            throw new IllegalArgumentException("Not an event: '" + key + "' is missing.");
        }
        return s;
    }

    private static String optional(Map<String, Object> m, String key) {
        Object o = m.get(key);
        if (o == null) {
            return null;
        }
        if (!(o instanceof String)) {
            throw new IllegalArgumentException("Not an event: '" + key + "' is not a string.");
        }
        return MamoriEvent.Builder.token((String) o, key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<String, Object> m, String key, Set<String> allowed) {
        Object o = m.get(key);
        if (o == null) {
            return null;
        }
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException("Not an event: '" + key + "' is not an object.");
        }
        Map<String, Object> obj = new LinkedHashMap<>((Map<String, Object>) o);
        if (allowed != null && !allowed.containsAll(obj.keySet())) {
            throw new IllegalArgumentException("Not an event: unknown member in '" + key + "'.");
        }
        return obj;
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String name, String what) {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not an event: unknown " + what + ".", e);
        }
    }

}
