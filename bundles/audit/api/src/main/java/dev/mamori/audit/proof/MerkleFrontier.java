package dev.mamori.audit.proof;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * The right edge of an append-only Merkle tree: the roots of its perfect subtrees, largest first
 * (one per set bit of the size). Appending a leaf and computing the tree head take O(log n) and
 * need no earlier leaf, so a log can keep one frontier per tenant and sign its head at any size;
 * the head is exactly {@link MerkleTree#root} of all leaves so far (RFC 9162).
 */
public final class MerkleFrontier {
    private final List<byte[]> peaks;
    private long size;

    private MerkleFrontier(long size, List<byte[]> peaks) {
        this.size = size;
        this.peaks = peaks;
    }

    /** @return the frontier of the empty tree */
    public static MerkleFrontier empty() {
        return new MerkleFrontier(0, new ArrayList<>());
    }

    /**
     * @param size  the tree's size
     * @param peaks its perfect subtrees' roots, largest first, as {@link #peaks()} gave them
     * @return the frontier, to go on appending
     * @throws IllegalArgumentException if the count of peaks does not match the size
     */
    public static MerkleFrontier of(long size, List<byte[]> peaks) {
        if (size < 0 || peaks.size() != Long.bitCount(size)) {
            throw new IllegalArgumentException("A tree of " + size + " has " + Long.bitCount(size) + " peaks, not " + peaks.size());
        }
        List<byte[]> copy = new ArrayList<>();
        for (byte[] p : peaks) {
            if (p == null || p.length != MerkleTree.HASH_SIZE) {
                throw new IllegalArgumentException("A peak is a 32-byte hash.");
            }
            copy.add(p.clone());
        }
        return new MerkleFrontier(size, copy);
    }

    /** @param leafHash the next leaf's hash @return the new size */
    public long append(byte[] leafHash) {
        return append(leafHash, (hash, level) -> {
        });
    }

    /**
     * Appends a leaf and reports every perfect subtree it completes, from the leaf (level 0) up to
     * the new smallest peak: what a log stores to answer proofs without reading every leaf.
     *
     * @param leafHash  the next leaf's hash
     * @param completed told (hash, level) of each completed subtree; the one at level {@code l}
     *                  covers leaves {@code [size - 2^l, size)} of the new size
     * @return the new size
     */
    public long append(byte[] leafHash, ObjIntConsumer<byte[]> completed) {
        if (leafHash == null || leafHash.length != MerkleTree.HASH_SIZE) {
            throw new IllegalArgumentException("A leaf hash is 32 bytes.");
        }
        byte[] node = leafHash.clone();
        completed.accept(node.clone(), 0);
        int level = 0;
        // each trailing set bit of the old size is a peak of the same height as the node: merge them
        for (long s = size; (s & 1) == 1; s >>= 1) {
            node = MerkleTree.nodeHash(peaks.remove(peaks.size() - 1), node);
            completed.accept(node.clone(), ++level);
        }
        peaks.add(node);
        return ++size;
    }

    /** @return the tree's size */
    public long size() {
        return size;
    }

    /** @return the tree head: the peaks folded from the right (the hash of no entry for the empty tree) */
    public byte[] root() {
        if (peaks.isEmpty()) {
            return MerkleTree.root(List.of());
        }
        byte[] r = peaks.get(peaks.size() - 1);
        for (int i = peaks.size() - 2; i >= 0; i--) {
            r = MerkleTree.nodeHash(peaks.get(i), r);
        }
        return r.clone();
    }

    /** @return the perfect subtrees' roots, largest first (what to store to resume) */
    public List<byte[]> peaks() {
        List<byte[]> out = new ArrayList<>();
        peaks.forEach(p -> out.add(p.clone()));
        return out;
    }
}
