package dev.mamori.artifacts.internal;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

import javax.sql.DataSource;

import dev.mamori.platform.db.ChunkedStreams;
import dev.mamori.platform.job.ArtifactWriter;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.VaultService;
import dev.mamori.vault.spi.ReEncryptor;

/**
 * Streamed artifacts: the content passes through the vault's stream cipher (tenant's attachments
 * key, associated data binding it to tenant, job and name) into 256 KiB rows of
 * {@code mamori_job_artifact_chunk}, one row at a time, so that an export of any size needs
 * constant memory. Each chunk commits on its own; the stream becomes an artifact only when its row
 * in {@code mamori_job_artifact} names it, so an interrupted write leaves chunks no row names,
 * which the purge removes.
 */
final class ArtifactStreams {
    /** Bytes of ciphertext per chunk row. */
    static final int CHUNK = 256 * 1024;
    private final DataSource dataSource;
    private final VaultService vault;
    private final Clock clock;

    ArtifactStreams(DataSource dataSource, VaultService vault, Clock clock) {
        this.dataSource = dataSource;
        this.vault = vault;
        this.clock = clock;
    }

    /** A stream written: its id, plaintext size and SHA-256. */
    record Written(String streamId, long size, String sha256) {
    }

    /**
     * @throws IOException if the writer fails or passes {@code max} bytes: the chunks written are deleted
     */
    Written write(String tenantId, String jobId, String name, ArtifactWriter writer, long max) throws IOException {
        String streamId = UUID.randomUUID().toString();
        MessageDigest sha = sha256();
        try {
            Counting counting;
            try (OutputStream encrypted = vault.encryptingStream(tenantId, KeyPurpose.ATTACHMENTS, sink(tenantId, streamId),
                    aad(tenantId, jobId, name))) {
                counting = new Counting(encrypted, sha, max);
                writer.writeTo(counting);
            }
            return new Written(streamId, counting.count, HexFormat.of().formatHex(sha.digest()));
        } catch (IOException | RuntimeException | Error e) {
            try {
                delete(streamId);
            } catch (SQLException cleanup) {
                e.addSuppressed(cleanup); // the purge removes what is left: no row names it
            }
            throw e;
        }
    }

    /**
     * Decrypts a stream into {@code out}, checking its length and SHA-256 at the end.
     *
     * @throws IOException if it cannot be read, fails authentication or does not match
     */
    void copy(String tenantId, String jobId, String name, String streamId, long size, String sha256, OutputStream out)
            throws IOException {
        MessageDigest sha = sha256();
        long n = 0;
        try (InputStream in = vault.decryptingStream(tenantId, KeyPurpose.ATTACHMENTS, source(streamId), aad(tenantId, jobId, name))) {
            byte[] buffer = new byte[64 * 1024];
            for (int r; (r = in.read(buffer)) >= 0;) {
                sha.update(buffer, 0, r);
                out.write(buffer, 0, r);
                n += r;
            }
        }
        if (n != size || !HexFormat.of().formatHex(sha.digest()).equals(sha256)) {
            // cannot happen with an authenticated stream cipher; refuse rather than pass it off as whole
            throw new IOException("Artifact " + jobId + "/" + name + " does not match its size and SHA-256.");
        }
    }

    /** @return whether the stream's first chunk is already under the re-encryption's target key */
    boolean isCurrent(String streamId, ReEncryptor reEncryptor) throws SQLException {
        byte[] first = chunk(streamId, 0);
        return first == null || reEncryptor.isCurrent(first);
    }

    /** @return the id of a new stream holding the same content re-encrypted */
    String reEncrypt(String tenantId, String jobId, String name, String streamId, ReEncryptor reEncryptor) throws IOException {
        String fresh = UUID.randomUUID().toString();
        try (InputStream in = source(streamId); OutputStream out = sink(tenantId, fresh)) {
            reEncryptor.reEncrypt(in, out, aad(tenantId, jobId, name));
            return fresh;
        } catch (IOException | RuntimeException e) {
            try {
                delete(fresh);
            } catch (SQLException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    void delete(String streamId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM mamori_job_artifact_chunk WHERE stream_id = ?")) {
            ps.setString(1, streamId);
            ps.executeUpdate();
        }
    }

    /** @return chunks deleted: those of expired artifacts, and those older than {@code orphanAgeMillis} that no artifact names */
    int purge(long orphanAgeMillis) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement expired = c.prepareStatement(
                "DELETE FROM mamori_job_artifact_chunk WHERE stream_id IN (SELECT stream_id FROM mamori_job_artifact "
                        + "WHERE stream_id IS NOT NULL AND expires_at <= ?)");
                PreparedStatement orphans = c.prepareStatement("DELETE FROM mamori_job_artifact_chunk WHERE created_at < ? AND "
                        + "NOT EXISTS (SELECT 1 FROM mamori_job_artifact a WHERE a.stream_id = mamori_job_artifact_chunk.stream_id)")) {
            long now = clock.millis();
            expired.setLong(1, now);
            orphans.setLong(1, now - orphanAgeMillis);
            return expired.executeUpdate() + orphans.executeUpdate();
        }
    }

    private byte[] chunk(String streamId, int seq) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT data FROM mamori_job_artifact_chunk WHERE stream_id = ? AND seq = ?")) {
            ps.setString(1, streamId);
            ps.setInt(2, seq);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        }
    }

    private void insert(String tenantId, String streamId, int seq, byte[] data, int length) throws IOException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO mamori_job_artifact_chunk (stream_id, seq, tenant_id, created_at, data) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, streamId);
            ps.setInt(2, seq);
            ps.setString(3, tenantId);
            ps.setLong(4, clock.millis());
            ps.setBytes(5, length == data.length ? data : Arrays.copyOf(data, length));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IOException("Cannot store an artifact chunk: " + e.getMessage(), e);
        }
    }

    /** Cuts the ciphertext into chunk rows. */
    private OutputStream sink(String tenantId, String streamId) {
        return ChunkedStreams.writer(CHUNK, (seq, data, length) -> insert(tenantId, streamId, seq, data, length));
    }

    /** Reads the chunk rows back one at a time. */
    private InputStream source(String streamId) {
        return ChunkedStreams.reader(seq -> {
            try {
                return chunk(streamId, seq);
            } catch (SQLException e) {
                throw new IOException("Cannot read an artifact chunk: " + e.getMessage(), e);
            }
        });
    }

    /** Counts and hashes the plaintext; refuses past the limit; never closes the cipher stream for the writer. */
    private static final class Counting extends FilterOutputStream {
        private final MessageDigest sha;
        private final long max;
        private long count;

        Counting(OutputStream out, MessageDigest sha, long max) {
            super(out);
            this.sha = sha;
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (count + len > max) {
                throw new IOException("The artifact passes its limit of " + max + " bytes (dev.mamori.artifacts "
                        + "stream.max.gigabytes).");
            }
            sha.update(b, off, len);
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            // the store closes the cipher stream once the writer is done
        }
    }

    static byte[] aad(String tenantId, String jobId, String name) {
        return ("job-artifact-stream\n" + tenantId + "\n" + jobId + "\n" + name).getBytes(StandardCharsets.UTF_8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
