package dev.mamori.audit.proof;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree of RFC 9162 section 2.1: leaf hash {@code SHA-256(0x00 || entry)}, node hash
 * {@code SHA-256(0x01 || left || right)}, the tree head of n leaves split at the largest power of
 * two below n; inclusion proofs (2.1.3) and consistency proofs (2.1.4), made from the leaf hashes
 * and verified with the RFC's own algorithms, so that a verifier needs only the hashes, the sizes
 * and the roots. Computing over a list keeps it obviously right; the log stores interior hashes
 * when it needs speed.
 */
public final class MerkleTree {
    /** Bytes of a hash. */
    public static final int HASH_SIZE = 32;

    private MerkleTree() {
    }

    /** @param entry a canonical entry @return its leaf hash */
    public static byte[] leafHash(byte[] entry) {
        MessageDigest d = sha256();
        d.update((byte) 0x00);
        d.update(entry);
        return d.digest();
    }

    /** @param left a hash @param right a hash @return their parent's hash */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest d = sha256();
        d.update((byte) 0x01);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    /** @param leafHashes the leaves' hashes, in order @return the tree head (the hash of no entry for none) */
    public static byte[] root(List<byte[]> leafHashes) {
        return leafHashes.isEmpty() ? sha256().digest() : root(leafHashes, 0, leafHashes.size());
    }

    private static byte[] root(List<byte[]> h, int from, int to) {
        int n = to - from;
        if (n == 1) {
            return h.get(from).clone();
        }
        int k = split(n);
        return nodeHash(root(h, from, from + k), root(h, from + k, to));
    }

    /**
     * @param leafHashes the tree's leaf hashes
     * @param index      a leaf's index
     * @return the audit path of that leaf in that tree (RFC 9162 2.1.3.1)
     */
    public static List<byte[]> inclusionProof(List<byte[]> leafHashes, long index) {
        if (index < 0 || index >= leafHashes.size()) {
            throw new IllegalArgumentException("Leaf " + index + " is not in a tree of " + leafHashes.size());
        }
        List<byte[]> out = new ArrayList<>();
        path((int) index, leafHashes, 0, leafHashes.size(), out);
        return out;
    }

    private static void path(int m, List<byte[]> h, int from, int to, List<byte[]> out) {
        int n = to - from;
        if (n == 1) {
            return;
        }
        int k = split(n);
        if (m < k) {
            path(m, h, from, from + k, out);
            out.add(root(h, from + k, to));
        } else {
            path(m - k, h, from + k, to, out);
            out.add(root(h, from, from + k));
        }
    }

    /**
     * @param leafHashes the larger tree's leaf hashes
     * @param first      the size of the earlier tree (1 to the larger size)
     * @return the proof that the earlier tree is a prefix of this one (RFC 9162 2.1.4.1)
     */
    public static List<byte[]> consistencyProof(List<byte[]> leafHashes, long first) {
        if (first < 1 || first > leafHashes.size()) {
            throw new IllegalArgumentException("A tree of " + first + " is no earlier version of a tree of " + leafHashes.size());
        }
        List<byte[]> out = new ArrayList<>();
        subproof((int) first, leafHashes, 0, leafHashes.size(), true, out);
        return out;
    }

    private static void subproof(int m, List<byte[]> h, int from, int to, boolean whole, List<byte[]> out) {
        int n = to - from;
        if (m == n) {
            if (!whole) {
                out.add(root(h, from, to));
            }
            return;
        }
        int k = split(n);
        if (m <= k) {
            subproof(m, h, from, from + k, whole, out);
            out.add(root(h, from + k, to));
        } else {
            subproof(m - k, h, from + k, to, false, out);
            out.add(root(h, from, from + k));
        }
    }

    /**
     * RFC 9162 2.1.3.2.
     *
     * @param index    the leaf's index
     * @param size     the tree's size
     * @param leafHash the leaf's hash
     * @param proof    its audit path
     * @param root     the tree head
     * @return whether the leaf is at that index in that tree
     */
    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root) {
        if (index < 0 || index >= size || !wellFormed(leafHash) || !wellFormed(root) || proof.stream().anyMatch(p -> !wellFormed(p))) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /**
     * RFC 9162 2.1.4.2.
     *
     * @param first      the earlier tree's size
     * @param second     the later tree's size
     * @param proof      the consistency proof
     * @param firstRoot  the earlier tree head
     * @param secondRoot the later tree head
     * @return whether the earlier tree is a prefix of the later one
     */
    public static boolean verifyConsistency(long first, long second, List<byte[]> proof, byte[] firstRoot, byte[] secondRoot) {
        if (first < 1 || first > second || !wellFormed(firstRoot) || !wellFormed(secondRoot)
                || proof.stream().anyMatch(p -> !wellFormed(p))) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && MessageDigest.isEqual(firstRoot, secondRoot);
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstRoot);
        }
        if (path.isEmpty()) {
            return false;
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, firstRoot) && MessageDigest.isEqual(sr, secondRoot);
    }

    /** @return the largest power of two below n (n at least 2) */
    private static int split(int n) {
        return Integer.highestOneBit(n - 1);
    }

    private static boolean wellFormed(byte[] hash) {
        return hash != null && hash.length == HASH_SIZE;
    }

    /** One digest per thread, reused (digest() resets it): looking the algorithm up cost as much as hashing a leaf. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(MerkleTree::newSha256);

    private static MessageDigest sha256() {
        MessageDigest d = SHA256.get();
        d.reset();
        return d;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no SHA-256", e);
        }
    }
}
