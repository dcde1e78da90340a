package dev.mamori.platform.event;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An event type with the detail keys its events may carry, declared once as a constant of a
 * capability's {@code ...Events} class (as {@link dev.mamori.platform.error.ErrorCode}s are):
 * {@code EventType.of("auth.sign-in.failed", "step", "reason")}. A detail under any other key is
 * refused in tests and left out in production (see {@link MamoriEvent.Builder#detail}), so that
 * nothing a developer did not declare — a name, an e-mail address — can reach the audit trail.
 *
 * <p>A read of tenant data that the audit trail must record (AUD-1) is declared with
 * {@link #read}: its name ends with {@code .read} ({@code auth.profile.read}), and no other type's
 * does, so that a reader of the log tells reads from changes by the name alone.
 */
public final class EventType {
    private static final Pattern NAME = Pattern.compile("[a-z]+(\\.[a-z0-9-]+)+");
    static final Pattern KEY = Pattern.compile("[a-z][a-zA-Z0-9.-]{0,63}");
    /** The suffix of every read type's name. */
    public static final String READ_SUFFIX = ".read";
    static final int MAX_DETAILS = 32;

    private final String name;
    private final Set<String> detailKeys;

    private EventType(String name, String[] detailKeys) {
        this.name = checkName(name);
        if (detailKeys.length > MAX_DETAILS) {
            throw new IllegalArgumentException("An event type declares at most " + MAX_DETAILS + " detail keys: " + name);
        }
        Set<String> keys = new TreeSet<>();
        for (String k : detailKeys) {
            if (k == null || !KEY.matcher(k).matches()) {
                throw new IllegalArgumentException("An event detail key is a letter then up to 63 letters, digits, '.' or '-': " + k);
            }
            if (!keys.add(k)) {
                throw new IllegalArgumentException("Detail key " + k + " declared twice for " + name);
            }
        }
        this.detailKeys = Collections.unmodifiableSet(keys);
    }

    /**
     * @param name       dotted lower-case words, capability first ({@code vault.data-key.created}), not ending in {@code .read}
     * @param detailKeys the detail keys its events may carry
     * @return the type of an action (a change, a refusal, a sign-in...)
     */
    public static EventType of(String name, String... detailKeys) {
        if (name != null && name.endsWith(READ_SUFFIX)) {
            throw new IllegalArgumentException("A type ending in " + READ_SUFFIX + " is a read: declare it with EventType.read: " + name);
        }
        return new EventType(name, detailKeys);
    }

    /**
     * @param name       dotted lower-case words ending in {@code .read}, e.g. {@code auth.profile.read}
     * @param detailKeys the detail keys its events may carry
     * @return the type of a read of tenant data, recorded as such (AUD-1)
     */
    public static EventType read(String name, String... detailKeys) {
        if (name == null || !name.endsWith(READ_SUFFIX)) {
            throw new IllegalArgumentException("The name of a read type ends in " + READ_SUFFIX + ": " + name);
        }
        return new EventType(name, detailKeys);
    }

    static String checkName(String name) {
        if (name == null || name.length() > 100 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("An event type is dotted lower-case words, e.g. vault.key.created: " + name);
        }
        return name;
    }

    /** @return the name, e.g. {@code auth.sign-in.failed}: what {@link MamoriEvent#type()} says */
    public String name() {
        return name;
    }

    /** @return the detail keys its events may carry, sorted */
    public Set<String> detailKeys() {
        return detailKeys;
    }

    /** @param key a detail key @return whether this type declares it */
    public boolean declares(String key) {
        return detailKeys.contains(key);
    }

    /** @return whether this is a read of tenant data ({@link #read}) */
    public boolean isRead() {
        return name.endsWith(READ_SUFFIX);
    }

    /** @param type an event's type name @return whether it is this type's name */
    public boolean is(String type) {
        return name.equals(type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventType && ((EventType) o).name.equals(name) && ((EventType) o).detailKeys.equals(detailKeys);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + detailKeys;
    }
}
