package dev.mamori.audit.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import dev.mamori.audit.proof.MerkleFrontier;
import dev.mamori.audit.proof.MerkleTree;
import dev.mamori.audit.proof.SubtreeProofs;

/**
 * The perfect subtrees of one log, read from its tiles (levels 8, 16, ...) and leaf hashes: a
 * subtree between two tile levels is folded from at most 128 stored hashes, so a proof in a tree
 * of ten million entries reads a few dozen small ranges.
 */
final class TreeHashes implements SubtreeProofs.Source {
    private final Connection c;
    private final String log;
    private final long prunedBefore;

    TreeHashes(Connection c, String log, long prunedBefore) {
        this.c = c;
        this.log = log;
        this.prunedBefore = prunedBefore;
    }

    @Override
    public byte[] subtree(long start, int level) {
        try {
            int base = level / Integrator.TILE_STRIDE * Integrator.TILE_STRIDE;
            long count = 1L << (level - base);
            long first = start >> base;
            List<byte[]> nodes = base == 0 ? AuditStore.leafHashes(c, log, start, start + count, prunedBefore)
                    : AuditStore.tiles(c, log, base, first, first + count);
            while (nodes.size() > 1) {
                List<byte[]> up = new ArrayList<>(nodes.size() / 2);
                for (int i = 0; i < nodes.size(); i += 2) {
                    up.add(MerkleTree.nodeHash(nodes.get(i), nodes.get(i + 1)));
                }
                nodes = up;
            }
            return nodes.get(0);
        } catch (SQLException e) {
            throw AuditStore.unavailable(e);
        }
    }

    /** @return the right edge of the tree of {@code size} leaves (its perfect subtrees, largest first) */
    MerkleFrontier frontierAt(long size) {
        List<byte[]> peaks = new ArrayList<>();
        long start = 0;
        for (int level = 63; level >= 0; level--) {
            if ((size & (1L << level)) != 0) {
                peaks.add(subtree(start, level));
                start += 1L << level;
            }
        }
        return MerkleFrontier.of(size, peaks);
    }
}
