package dev.mamori.auth;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a person's erasure did (IAM-5): the erased account, and what each capability that keeps data
 * about people did to it (e.g. {@code records.trashed} 3, {@code records.pseudonymised} 2).
 *
 * @param account the erased account
 * @param effects counts by participant and name, sorted
 */
public record Erasure(User account, Map<String, Long> effects) {
    /** Copies the effects, sorted. */
    public Erasure {
        effects = java.util.Collections.unmodifiableMap(new TreeMap<>(effects));
    }
}
