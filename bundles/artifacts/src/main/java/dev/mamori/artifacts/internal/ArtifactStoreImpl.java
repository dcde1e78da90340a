package dev.mamori.artifacts.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PlatformPurpose;
import dev.mamori.platform.db.SchemaReady;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.job.ArtifactWriter;
import dev.mamori.platform.job.JobArtifact;
import dev.mamori.platform.job.JobArtifactStore;
import dev.mamori.tenant.TenantContext;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.VaultService;
import dev.mamori.vault.spi.ReEncryptionBatch;
import dev.mamori.vault.spi.ReEncryptor;

/**
 * Job artifacts in {@code mamori_job_artifact}, each encrypted by the vault under the job's
 * tenant's attachments key (CRY-2), with associated data binding it to its job, name, tenant and
 * SHA-256: a blob copied to another row, job or tenant does not decrypt. Content is checked
 * against its hash again when read. Expired ones are never served and are deleted by
 * {@link ArtifactPurge}. Plain JDBC: one row per artifact, written and read whole, or for a streamed
 * artifact ({@link ArtifactStreams}) a row naming its chunks.
 */
@Component(service = {JobArtifactStore.class, ArtifactStoreImpl.class}, configurationPid = ArtifactConfig.PID)
@Designate(ocd = ArtifactConfig.class)
public class ArtifactStoreImpl implements JobArtifactStore {
    /** Why the platform reaches a tenant's artifact (an operator's download). */
    static final PlatformPurpose DOWNLOAD = PlatformPurpose.of("jobs.artifact-download",
            "download a file one of the tenant's jobs produced");
    private static final Logger LOG = LoggerFactory.getLogger(ArtifactStoreImpl.class);
    private static final String COLUMNS = "job_id, name, tenant_id, media_type, size_bytes, sha256, created_at, expires_at";

    private final DataSource dataSource;
    private final VaultService vault;
    private final TenantContext tenants;
    private final Clock clock;
    private final ArtifactStreams streams;
    private volatile Duration ttl;
    private volatile long maxBytes;
    private volatile long maxStreamBytes;

    /**
     * @param dataSource the {@code mamori} database
     * @param schema     present once the artifact table exists
     * @param vault      encrypts and decrypts
     * @param tenants    reaches a tenant's key for an operator's download
     * @param clock      the platform clock
     * @param config     configuration
     */
    @Activate
    public ArtifactStoreImpl(@Reference(target = "(osgi.jndi.service.name=mamori)") DataSource dataSource,
            @Reference(target = "(" + SchemaReady.NAME + "=artifacts)") SchemaReady schema, @Reference VaultService vault,
            @Reference TenantContext tenants, @Reference Clock clock, ArtifactConfig config) {
        this(dataSource, vault, tenants, clock, Duration.ofHours(config.ttl_hours()), config.max_megabytes() * 1024L * 1024L);
        this.maxStreamBytes = config.stream_max_gigabytes() * 1024L * 1024L * 1024L;
    }

    ArtifactStoreImpl(DataSource dataSource, VaultService vault, TenantContext tenants, Clock clock, Duration ttl, long maxBytes) {
        this.dataSource = dataSource;
        this.vault = vault;
        this.tenants = tenants;
        this.clock = clock;
        this.ttl = ttl;
        this.maxBytes = maxBytes;
        this.maxStreamBytes = 64L * 1024 * 1024 * 1024;
        this.streams = new ArtifactStreams(dataSource, vault, clock);
    }

    @Modified
    void modified(ArtifactConfig config) {
        ttl = Duration.ofHours(config.ttl_hours());
        maxBytes = config.max_megabytes() * 1024L * 1024L;
        maxStreamBytes = config.stream_max_gigabytes() * 1024L * 1024L * 1024L;
    }

    /** For tests: the largest streamed artifact. */
    void maxStreamBytes(long bytes) {
        this.maxStreamBytes = bytes;
    }

    @Override
    public JobArtifact write(String jobId, String tenantId, String name, String mediaType, byte[] content) {
        if (content == null || content.length > maxBytes) {
            throw new MamoriException(PlatformErrors.INVALID, "An artifact is at most " + maxBytes / (1024 * 1024)
                    + " MiB (dev.mamori.artifacts max.megabytes); split the export.");
        }
        requireOwnTenant(tenantId);
        String sha = sha256(content);
        byte[] blob = vault.encrypt(tenantId, KeyPurpose.ATTACHMENTS, content, aad(jobId, name, tenantId, sha));
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        JobArtifact a = new JobArtifact(jobId, tenantId, name, mediaType, content.length, sha, now, expires);
        String replaced;
        try {
            replaced = replace(a, blob, null);
        } catch (SQLException e) {
            throw unavailable("store", e);
        }
        if (replaced != null) {
            deleteQuietly(replaced);
        }
        return a;
    }

    @Override
    public JobArtifact write(String jobId, String tenantId, String name, String mediaType, ArtifactWriter content) {
        requireOwnTenant(tenantId);
        ArtifactStreams.Written w;
        try {
            w = streams.write(tenantId, jobId, name, content, maxStreamBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Instant now = clock.instant();
        Instant expires = now.plus(ttl);
        JobArtifact a = new JobArtifact(jobId, tenantId, name, mediaType, w.size(), w.sha256(), now, expires);
        String replaced;
        try {
            replaced = replace(a, null, w.streamId());
        } catch (SQLException e) {
            deleteQuietly(w.streamId());
            throw unavailable("store", e);
        }
        if (replaced != null) {
            deleteQuietly(replaced);
        }
        return a;
    }

    /**
     * Replaces the artifact's row (a retried step writes the same name again) in one transaction: its
     * content inline, or the stream that holds it.
     *
     * @return the stream the replaced row named, whose chunks the caller drops once this committed
     */
    private String replace(JobArtifact a, byte[] blob, String streamId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                String replaced;
                try (PreparedStatement old = c.prepareStatement("SELECT stream_id FROM mamori_job_artifact WHERE tenant_id = ? AND "
                        + "job_id = ? AND name = ?")) {
                    old.setString(1, a.tenantId());
                    old.setString(2, a.jobId());
                    old.setString(3, a.name());
                    try (ResultSet rs = old.executeQuery()) {
                        replaced = rs.next() ? rs.getString(1) : null;
                    }
                }
                try (PreparedStatement del = c.prepareStatement(
                        "DELETE FROM mamori_job_artifact WHERE tenant_id = ? AND job_id = ? AND name = ?")) {
                    del.setString(1, a.tenantId());
                    del.setString(2, a.jobId());
                    del.setString(3, a.name());
                    del.executeUpdate();
                }
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO mamori_job_artifact (" + COLUMNS
                        + ", content, stream_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ins.setString(1, a.jobId());
                    ins.setString(2, a.name());
                    ins.setString(3, a.tenantId());
                    ins.setString(4, a.mediaType());
                    ins.setLong(5, a.size());
                    ins.setString(6, a.sha256());
                    ins.setLong(7, a.createdAt().toEpochMilli());
                    ins.setLong(8, a.expiresAt().toEpochMilli());
                    ins.setBytes(9, blob);
                    ins.setString(10, streamId);
                    ins.executeUpdate();
                }
                c.commit();
                return replaced;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void deleteQuietly(String streamId) {
        try {
            streams.delete(streamId);
        } catch (SQLException e) {
            LOG.warn("Chunks of artifact stream {} stay until the purge: {}", streamId, e.toString());
        }
    }

    private static void requireOwnTenant(String tenantId) {
        String bound = ExecutionContext.require().tenantId().orElse(null);
        if (!tenantId.equals(bound)) {
            // only the job's own step, in its tenant's context, writes its artifacts
            throw new MamoriException(PlatformErrors.FORBIDDEN, "An artifact is written in its job's tenant context only.");
        }
    }

    @Override
    public List<JobArtifact> list(String jobId, String tenantId) {
        List<JobArtifact> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM mamori_job_artifact WHERE tenant_id = ? AND job_id = ? AND expires_at > ? ORDER BY name")) {
            ps.setString(1, tenantId);
            ps.setString(2, jobId);
            ps.setLong(3, clock.millis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(artifact(rs));
                }
            }
        } catch (SQLException e) {
            throw unavailable("list", e);
        }
        return out;
    }

    @Override
    public Optional<Content> read(String jobId, String tenantId, String name) {
        return open(jobId, tenantId, name).map(d -> {
            if (d.artifact().size() > maxBytes) {
                throw new MamoriException(PlatformErrors.INVALID, "Artifact " + name + " is bigger than "
                        + maxBytes / (1024 * 1024) + " MiB: download it as a stream.");
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) d.artifact().size());
            try {
                d.content().writeTo(out);
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            return new Content(d.artifact(), out.toByteArray());
        });
    }

    @Override
    public Optional<Download> open(String jobId, String tenantId, String name) {
        JobArtifact a;
        byte[] blob;
        String streamId;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + ", content, stream_id FROM mamori_job_artifact WHERE tenant_id = ? AND job_id = ? AND name = ? AND expires_at > ?")) {
            ps.setString(1, tenantId);
            ps.setString(2, jobId);
            ps.setString(3, name);
            ps.setLong(4, clock.millis());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                a = artifact(rs);
                blob = rs.getBytes(9);
                streamId = rs.getString(10);
            }
        } catch (SQLException e) {
            throw unavailable("read", e);
        }
        ArtifactWriter plain = streamId != null
                ? out -> streams.copy(a.tenantId(), a.jobId(), a.name(), streamId, a.size(), a.sha256(), out)
                : out -> out.write(decrypted(a, blob));
        boolean inTenant = ExecutionContext.current().flatMap(ExecutionContext::tenantId).map(a.tenantId()::equals).orElse(false);
        if (inTenant) {
            return Optional.of(new Download(a, plain));
        }
        // the platform (an operator) says why it reaches the tenant's data, for the whole transfer
        return Optional.of(new Download(a, out -> {
            try {
                tenants.callAsPlatform(a.tenantId(), DOWNLOAD, () -> {
                    try {
                        plain.writeTo(out);
                        return null;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }));
    }

    private byte[] decrypted(JobArtifact a, byte[] blob) {
        byte[] plain = vault.decrypt(a.tenantId(), KeyPurpose.ATTACHMENTS, blob, aad(a.jobId(), a.name(), a.tenantId(), a.sha256()));
        if (!sha256(plain).equals(a.sha256())) {
            // cannot happen with an authenticated cipher and the hash in its associated data; refuse rather than serve
            throw new IllegalStateException("Artifact " + a.jobId() + "/" + a.name() + " does not match its SHA-256.");
        }
        return plain;
    }

    /**
     * One batch of a vault re-encryption of a tenant's artifacts (see {@link ArtifactReEncryption}):
     * rows in (job, name) order after the cursor, each not yet under the target version
     * re-encrypted with the same associated data, in one transaction.
     */
    ReEncryptionBatch reEncrypt(String tenantId, String cursor, int batchSize, ReEncryptor reEncryptor) {
        String afterJob = "";
        String afterName = "";
        if (cursor != null) {
            int nl = cursor.indexOf('\n');
            afterJob = cursor.substring(0, nl);
            afterName = cursor.substring(nl + 1);
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int seen = 0;
                int done = 0;
                List<String> stale = new ArrayList<>();
                String lastJob = null;
                String lastName = null;
                try (PreparedStatement ps = c.prepareStatement("SELECT job_id, name, sha256, content, stream_id FROM mamori_job_artifact "
                        + "WHERE tenant_id = ? AND (job_id > ? OR job_id = ? AND name > ?) ORDER BY job_id, name FETCH FIRST ? ROWS ONLY")) {
                    ps.setString(1, tenantId);
                    ps.setString(2, afterJob);
                    ps.setString(3, afterJob);
                    ps.setString(4, afterName);
                    ps.setInt(5, batchSize);
                    try (ResultSet rs = ps.executeQuery(); PreparedStatement up = c.prepareStatement(
                            "UPDATE mamori_job_artifact SET content = ? WHERE tenant_id = ? AND job_id = ? AND name = ?")) {
                        while (rs.next()) {
                            seen++;
                            lastJob = rs.getString(1);
                            lastName = rs.getString(2);
                            byte[] blob = rs.getBytes(4);
                            String streamId = rs.getString(5);
                            if (streamId != null) {
                                done += reEncryptStream(c, tenantId, lastJob, lastName, streamId, reEncryptor, stale);
                                continue;
                            }
                            if (reEncryptor.isCurrent(blob)) {
                                continue;
                            }
                            up.setBytes(1, reEncryptor.reEncrypt(blob, aad(lastJob, lastName, tenantId, rs.getString(3))));
                            up.setString(2, tenantId);
                            up.setString(3, lastJob);
                            up.setString(4, lastName);
                            up.executeUpdate();
                            done++;
                        }
                    }
                }
                c.commit();
                stale.forEach(this::deleteQuietly);
                return new ReEncryptionBatch(seen < batchSize ? null : lastJob + "\n" + lastName, done);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable("re-encrypt", e);
        }
    }

    /** Re-encrypts a streamed artifact into a new stream, named in the batch's transaction; the old chunks go after it commits. */
    private int reEncryptStream(Connection c, String tenantId, String jobId, String name, String streamId, ReEncryptor reEncryptor,
            List<String> stale) throws SQLException {
        if (streams.isCurrent(streamId, reEncryptor)) {
            return 0;
        }
        String fresh;
        try {
            fresh = streams.reEncrypt(tenantId, jobId, name, streamId, reEncryptor);
        } catch (IOException e) {
            throw new SQLException("Cannot re-encrypt artifact stream " + streamId + ": " + e.getMessage(), e);
        }
        try (PreparedStatement up = c.prepareStatement("UPDATE mamori_job_artifact SET stream_id = ? WHERE tenant_id = ? AND "
                + "job_id = ? AND name = ? AND stream_id = ?")) {
            up.setString(1, fresh);
            up.setString(2, tenantId);
            up.setString(3, jobId);
            up.setString(4, name);
            up.setString(5, streamId);
            up.executeUpdate();
        }
        stale.add(streamId);
        return 1;
    }

    /** @return how many expired artifacts were deleted */
    int purgeExpired() {
        try {
            int chunks = streams.purge(Duration.ofDays(2).toMillis());
            if (chunks > 0) {
                LOG.info("{} chunk(s) of expired or unfinished job artifacts deleted", chunks);
            }
        } catch (SQLException e) {
            throw unavailable("purge", e);
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM mamori_job_artifact WHERE expires_at <= ?")) {
            ps.setLong(1, clock.millis());
            int n = ps.executeUpdate();
            if (n > 0) {
                LOG.info("{} expired job artifact(s) deleted", n);
            }
            return n;
        } catch (SQLException e) {
            throw unavailable("purge", e);
        }
    }

    private static JobArtifact artifact(ResultSet rs) throws SQLException {
        return new JobArtifact(rs.getString(1), rs.getString(3), rs.getString(2), rs.getString(4), rs.getLong(5), rs.getString(6),
                Instant.ofEpochMilli(rs.getLong(7)), Instant.ofEpochMilli(rs.getLong(8)));
    }

    static byte[] aad(String jobId, String name, String tenantId, String sha256) {
        return ("job-artifact\n" + tenantId + "\n" + jobId + "\n" + name + "\n" + sha256).getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MamoriException unavailable(String what, SQLException e) {
        LOG.warn("Job artifact {} failed: {}", what, e.toString());
        return new MamoriException(PlatformErrors.ARTIFACT_STORE_UNAVAILABLE, "The artifact store cannot be reached; try again "
                + "shortly.", e, Duration.ofSeconds(10));
    }
}
