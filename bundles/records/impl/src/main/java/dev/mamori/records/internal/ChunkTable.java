package dev.mamori.records.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

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
        return new OutputStream() {
            private final byte[] buffer = new byte[CHUNK];
            private int filled;
            private int seq;
            private boolean closed;

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                while (len > 0) {
                    int n = Math.min(len, CHUNK - filled);
                    System.arraycopy(b, off, buffer, filled, n);
                    filled += n;
                    off += n;
                    len -= n;
                    if (filled == CHUNK) {
                        flushChunk();
                    }
                }
            }

            private void flushChunk() {
                writeChunk(tenantId, id, gen, seq++, buffer, filled);
                filled = 0;
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    if (filled > 0) {
                        flushChunk();
                    }
                }
            }
        };
    }

    /** @return the chunks of one generation read back one row at a time */
    InputStream read(String tenantId, String id, int gen) {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int pos;
            private int seq;
            private boolean done;

            private boolean fill() {
                while (!done && pos == current.length) {
                    byte[] next = chunk(tenantId, id, gen, seq++);
                    if (next == null) {
                        done = true;
                    } else {
                        current = next;
                        pos = 0;
                    }
                }
                return pos < current.length;
            }

            @Override
            public int read() throws IOException {
                return fill() ? current[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (!fill()) {
                    return -1;
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }
}
