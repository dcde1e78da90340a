package dev.mamori.records.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import dev.mamori.platform.db.ChunkedStreams;

/**
 * A stream stored as chunk rows of one table ({@code tenant_id, <owner>, gen, seq, data}), written
 * and read one chunk at a time: any size in constant memory, on H2 and PostgreSQL alike, in the
 * caller's unit of work (or a pooled connection outside one). The stream is the vault's ciphertext;
 * its stream cipher detects chunks lost, added or reordered.
 */
final class ChunkTable {
    /** Bytes per chunk row. */
    static final int CHUNK = 256 * 1024;
    private final Jdbc jdbc;
    private final String table;
    private final String owner;

    ChunkTable(Jdbc jdbc, String table, String owner) {
        this.jdbc = jdbc;
        this.table = table;
        this.owner = owner;
    }

    void delete(String tenantId, String id, int gen) {
        jdbc.sql("chunk delete", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE tenant_id = ? AND " + owner + " = ? AND gen = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, id);
                ps.setInt(3, gen);
                return ps.executeUpdate();
            }
        });
    }

    /** @return the chunk, or null past the last one */
    byte[] chunk(String tenantId, String id, int gen, int seq) {
        return jdbc.sql("chunk", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT data FROM " + table + " WHERE tenant_id = ? AND " + owner
                    + " = ? AND gen = ? AND seq = ?")) {
                ps.setString(1, tenantId);
                ps.setString(2, id);
                ps.setInt(3, gen);
                ps.setInt(4, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
    }

    private void writeChunk(String tenantId, String id, int gen, int seq, byte[] data, int length) {
        jdbc.sql("chunk", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (tenant_id, " + owner + ", gen, seq, data) "
                    + "VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, tenantId);
                ps.setString(2, id);
                ps.setInt(3, gen);
                ps.setInt(4, seq);
                ps.setBytes(5, length == data.length ? data : java.util.Arrays.copyOf(data, length));
                return ps.executeUpdate();
            }
        });
    }

    /** @return a sink that cuts what is written into chunk rows of one generation */
    OutputStream write(String tenantId, String id, int gen) {
        return ChunkedStreams.writer(CHUNK, (seq, data, length) -> writeChunk(tenantId, id, gen, seq, data, length));
    }

    /** @return the chunks of one generation read back one row at a time */
    InputStream read(String tenantId, String id, int gen) {
        return ChunkedStreams.reader(seq -> chunk(tenantId, id, gen, seq));
    }
}
