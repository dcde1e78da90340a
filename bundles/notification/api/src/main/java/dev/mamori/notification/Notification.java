package dev.mamori.notification;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A notification to queue: a template of the notification capability (its texts in Japanese and
 * English), the values it fills in, who it is for and over which channels.
 */
public final class Notification {
    /** The e-mail channel's id. */
    public static final String EMAIL = "email";
    /** The in-app channel's id. */
    public static final String IN_APP = "in-app";

    private final String template;
    private final Audience audience;
    private final Set<String> channels = new LinkedHashSet<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    private String incidentId;

    private Notification(String template, Audience audience) {
        this.template = Objects.requireNonNull(template, "template");
        this.audience = Objects.requireNonNull(audience, "audience");
    }

    /**
     * @param template a template name, e.g. {@code incident.notice}
     * @param audience who it is for
     * @return a notification over e-mail until other channels are named
     */
    public static Notification of(String template, Audience audience) {
        return new Notification(template, audience);
    }

    /** @param channel a channel id; the first call replaces the default (e-mail) @return this */
    public Notification channel(String channel) {
        channels.add(Objects.requireNonNull(channel, "channel"));
        return this;
    }

    /** @param name a value the template uses @param value its text (escaped where it goes into HTML) @return this */
    public Notification value(String name, String value) {
        values.put(Objects.requireNonNull(name, "name"), value == null ? "" : value);
        return this;
    }

    /** @param id the incident this notification tells of (its obligation clocks count it) @return this */
    public Notification incident(String id) {
        this.incidentId = id;
        return this;
    }

    public String template() { return template; }
    public Audience audience() { return audience; }
    /** @return the channels named, or e-mail alone */
    public Set<String> channels() { return channels.isEmpty() ? Set.of(EMAIL) : Collections.unmodifiableSet(channels); }
    public Map<String, String> values() { return Collections.unmodifiableMap(values); }
    public String incidentId() { return incidentId; }
}
