package dev.mamori.audit.proof;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 tree heads, inclusion proofs (PATH) and consistency proofs (PROOF) of a large tree,
 * computed from the hashes of its perfect subtrees rather than from every leaf: a log that stores
 * leaf hashes and a few levels of subtree hashes answers a proof with O(log n) lookups. The results
 * are exactly those of {@link MerkleTree} over the same leaves.
 */
public final class SubtreeProofs {
    /** Where the perfect subtrees' hashes come from. */
    @FunctionalInterface
    public interface Source {
        /**
         * @param start first leaf, a multiple of {@code 2^level}
         * @param level the subtree's height (0: the leaf itself)
         * @return the hash of the perfect subtree over leaves {@code [start, start + 2^level)}
         */
        byte[] subtree(long start, int level);
    }

    private final Source source;

    /** @param source the perfect subtrees' hashes */
    public SubtreeProofs(Source source) {
        this.source = source;
    }

    /**
     * @param size a tree size (at least 1)
     * @return MTH of the first {@code size} leaves
     */
    public byte[] root(long size) {
        if (size < 1) {
            throw new IllegalArgumentException("A tree head of leaves needs at least one leaf.");
        }
        return mth(0, size);
    }

    /**
     * @param index a leaf
     * @param size  the tree size, above {@code index}
     * @return the audit path of the leaf in that tree, leaf side first
     */
    public List<byte[]> inclusion(long index, long size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("Leaf " + index + " is not in a tree of " + size);
        }
        List<byte[]> out = new ArrayList<>();
        path(index, 0, size, out);
        return out;
    }

    /**
     * @param first  the older size, at least 1
     * @param second the newer size, at least {@code first}
     * @return the consistency proof from the first tree to the second
     */
    public List<byte[]> consistency(long first, long second) {
        if (first < 1 || first > second) {
            throw new IllegalArgumentException("A consistency proof needs 1 <= first <= second: " + first + ", " + second);
        }
        List<byte[]> out = new ArrayList<>();
        if (first < second) {
            subproof(first, 0, second, true, out);
        }
        return out;
    }

    private void path(long m, long start, long n, List<byte[]> out) {
        if (n == 1) {
            return;
        }
        long k = split(n);
        if (m < k) {
            path(m, start, k, out);
            out.add(mth(start + k, start + n));
        } else {
            path(m - k, start + k, n - k, out);
            out.add(mth(start, start + k));
        }
    }

    private void subproof(long m, long start, long n, boolean whole, List<byte[]> out) {
        if (m == n) {
            if (!whole) {
                out.add(mth(start, start + n));
            }
            return;
        }
        long k = split(n);
        if (m <= k) {
            subproof(m, start, k, whole, out);
            out.add(mth(start + k, start + n));
        } else {
            subproof(m - k, start + k, n - k, false, out);
            out.add(mth(start, start + k));
        }
    }

    /** MTH of leaves [from, to): perfect aligned ranges come from the source, the rest is split as RFC 9162 does. */
    private byte[] mth(long from, long to) {
        long n = to - from;
        if (Long.bitCount(n) == 1 && from % n == 0) {
            return source.subtree(from, Long.numberOfTrailingZeros(n));
        }
        long k = split(n);
        return MerkleTree.nodeHash(mth(from, from + k), mth(from + k, to));
    }

    /** @return the largest power of two below n (n at least 2) */
    private static long split(long n) {
        return Long.highestOneBit(n - 1);
    }
}
