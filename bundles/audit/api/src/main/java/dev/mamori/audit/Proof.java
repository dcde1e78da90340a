package dev.mamori.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 9162 proof with what it is about: an inclusion proof of leaf {@code first} in the tree of
 * {@code second} entries, or a consistency proof from the tree of {@code first} entries to the tree
 * of {@code second}.
 *
 * @param log      a tenant id, or {@link AuditService#PLATFORM_LOG}
 * @param first    the leaf (inclusion) or the older size (consistency)
 * @param second   the tree size (inclusion) or the newer size (consistency)
 * @param leafHash the leaf's hash (inclusion only, else null)
 * @param path     the proof's hashes, in RFC 9162 order
 */
public record Proof(String log, long first, long second, byte[] leafHash, List<byte[]> path) {
    /** Copies. */
    public Proof {
        leafHash = leafHash == null ? null : leafHash.clone();
        List<byte[]> copy = new ArrayList<>();
        path.forEach(h -> copy.add(h.clone()));
        path = List.copyOf(copy);
    }

    @Override
    public byte[] leafHash() {
        return leafHash == null ? null : leafHash.clone();
    }
}
