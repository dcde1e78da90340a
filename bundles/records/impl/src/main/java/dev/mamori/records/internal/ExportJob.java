package dev.mamori.records.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.mamori.audit.AuditService;
import dev.mamori.auth.Roles;
import dev.mamori.auth.User;
import dev.mamori.auth.UserService;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.job.JobArtifact;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;
import dev.mamori.records.Category;
import dev.mamori.records.ExportService;
import dev.mamori.records.RecordErrors;
import dev.mamori.records.RecordEvents;
import dev.mamori.vault.KeyPurpose;

/**
 * Writes a tenant's export as its job's artifact, in one step, streamed: categories, records a page
 * at a time (the trash too), attachments one at a time through the vault's stream cipher, users
 * (with personal data only in a tenant admin's export), the tenant's audit log in the offline
 * verifier's format, and the manifest last. Nothing is held whole in memory; a step that breaks off
 * leaves no artifact, and the job runs the step again from the start.
 */
@Component(service = JobHandler.class)
public class ExportJob implements JobHandler<ExportJob.Params, JobType.None> {
    static final JobType<Params, JobType.None> TYPE = JobType.of("records.export", Params.class, JobType.None.class)
            .submittableByTenants().artifactsHoldTenantData(Roles.TENANT_ADMIN);
    /** Format name and version in the manifest. */
    static final String FORMAT = "mamori-tenant-export";
    static final int VERSION = 1;
    private static final int PAGE = 200;
    private final RecordsCore core;
    private final UserService users;
    private final AuditService audit;

    /**
     * @param core  stores, vault, events
     * @param users accounts and personal data
     * @param audit the tenant's log
     */
    @Activate
    public ExportJob(@Reference RecordsCore core, @Reference UserService users, @Reference AuditService audit) {
        this.core = core;
        this.users = users;
        this.audit = audit;
    }

    /**
     * @param exportId     the export
     * @param passphrase   the passphrase encrypted by the vault (Base64), or null
     * @param personalData whether personal data was asked for (a tenant admin's export)
     */
    public record Params(String exportId, String passphrase, boolean personalData) {
        /** @return the parameters, without the encrypted passphrase */
        @Override
        public String toString() {
            return "Params[exportId=" + exportId + ", personalData=" + personalData + "]";
        }
    }

    @Override
    public JobType<Params, JobType.None> type() {
        return TYPE;
    }

    @Override
    public JobStep<JobType.None> step(JobRun<Params, JobType.None> run) {
        String tenant = core.tenants.requireTenantId();
        Principal p = ExecutionContext.require().principal().orElse(null);
        boolean admin = p != null && p.kind() == PrincipalKind.USER && p.hasRole(Roles.TENANT_ADMIN)
                && p.tenantId().map(tenant::equals).orElse(false);
        if (!admin && (p == null || p.kind() != PrincipalKind.OPERATOR)) {
            throw new MamoriException(RecordErrors.FORBIDDEN, "An export is a tenant admin's or an operator's.");
        }
        Params params = run.parameters();
        boolean personal = admin && params.personalData();
        char[] passphrase = params.passphrase() == null ? null : passphrase(tenant, params);
        Instant now = core.clock.instant();
        Counts counts = new Counts();
        String[] manifestSha = new String[1];
        long total = core.store.counts(tenant).stream().mapToLong(c -> c.live() + c.trashed()).sum();
        JobArtifact artifact;
        try {
            artifact = run.writeArtifact(passphrase == null ? ExportService.ZIP : ExportService.ENCRYPTED_ZIP,
                    passphrase == null ? "application/zip" : "application/pgp-encrypted", out -> {
                        OutputStream target = passphrase == null ? out : OpenPgp.encrypt(out, passphrase, ExportService.ZIP,
                                Date.from(now));
                        ExportArchive zip = new ExportArchive(target, now.toEpochMilli());
                        categories(zip, tenant);
                        records(zip, tenant, run, counts, total);
                        attachments(zip, tenant, run, counts, total);
                        run.heartbeat(counts.records + counts.attachments, "exporting users");
                        users(zip, personal, counts);
                        run.heartbeat(counts.records + counts.attachments, "exporting the audit log");
                        auditLog(zip, tenant, run.id(), counts);
                        manifestSha[0] = zip.finish(header(tenant, run.id(), p, personal, passphrase != null, now, counts));
                        if (passphrase != null) {
                            target.close();
                        }
                    });
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
        core.events.publish(MamoriEvent.builder(RecordEvents.EXPORTED).target("record-export", params.exportId())
                .detail("records", Long.toString(counts.records)).detail("attachments", Long.toString(counts.attachments))
                .detail("users", Long.toString(counts.users)).detail("auditEntries", Long.toString(counts.auditEntries))
                .detail("personalData", Boolean.toString(personal)).detail("size", Long.toString(artifact.size()))
                .detail("sha256", artifact.sha256()).detail("job", run.id()));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("artifact", artifact.name());
        result.put("sha256", artifact.sha256());
        result.put("manifestSha256", manifestSha[0]);
        result.put("records", counts.records);
        result.put("attachments", counts.attachments);
        result.put("users", counts.users);
        result.put("auditEntries", counts.auditEntries);
        result.put("personalData", personal);
        return JobStep.<JobType.None>finished(counts.records + " record(s), " + counts.attachments + " attachment(s), " + counts.users
                + " user(s) and " + counts.auditEntries + " audit entries exported to " + artifact.name() + ".")
                .withDone(counts.records + counts.attachments).withTotal(total + counts.attachments).withResult(json(result));
    }

    /** What the export holds so far. */
    static final class Counts {
        long records;
        long attachments;
        long users;
        long auditEntries;
    }

    private void categories(ExportArchive zip, String tenant) throws IOException {
        try (OutputStream out = zip.entry("categories.jsonl")) {
            for (Category k : core.categories.list(tenant)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", k.name());
                m.put("title", k.title());
                m.put("schema", PayloadSchemas.JSON.readTree(k.schema()));
                m.put("retentionDays", k.retentionDays());
                m.put("onErasure", k.onErasure() == null ? null : k.onErasure().name());
                m.put("version", k.version());
                m.put("createdAt", time(k.createdAt()));
                m.put("updatedAt", time(k.updatedAt()));
                out.write(ExportArchive.line(m));
            }
        }
    }

    private void records(ExportArchive zip, String tenant, JobRun<?, ?> run, Counts counts, long total) throws IOException {
        try (OutputStream out = zip.entry("records.jsonl")) {
            String after = "";
            for (List<RecordStore.Row> page; !(page = core.store.exportPage(tenant, after, PAGE)).isEmpty();) {
                for (RecordStore.Row r : page) {
                    byte[] plain = core.vault.decrypt(tenant, KeyPurpose.RECORDS, r.payload(), RecordServiceImpl.aad(tenant, r.id(),
                            r.version()));
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", r.id());
                    m.put("category", r.category());
                    m.put("subject", r.subject());
                    m.put("scope", r.scope());
                    m.put("labels", r.labels());
                    m.put("version", r.version());
                    m.put("payload", PayloadSchemas.JSON.readTree(plain));
                    m.put("createdAt", time(r.createdAt()));
                    m.put("createdBy", r.createdBy());
                    m.put("updatedAt", time(r.updatedAt()));
                    m.put("updatedBy", r.updatedBy());
                    m.put("deletedAt", time(r.deletedAt()));
                    m.put("deletedBy", r.deletedBy());
                    m.put("purgeAfter", time(r.purgeAfter()));
                    out.write(ExportArchive.line(m));
                    counts.records++;
                }
                after = page.get(page.size() - 1).id();
                run.heartbeat(counts.records, "exported " + counts.records + " of " + total + " records");
            }
        }
    }

    private void attachments(ExportArchive zip, String tenant, JobRun<?, ?> run, Counts counts, long total) throws IOException {
        // the list first, then each file: one entry open at a time
        try (OutputStream out = zip.entry("attachments.jsonl")) {
            String after = "";
            for (List<AttachmentStore.Row> page; !(page = core.attachments.page(tenant, after, PAGE)).isEmpty();) {
                for (AttachmentStore.Row a : page) {
                    Map<?, ?> meta = AttachmentServiceImpl.readMeta(core.vault.decrypt(tenant, KeyPurpose.ATTACHMENTS, a.meta(),
                            AttachmentServiceImpl.metaAad(tenant, a.recordId(), a.id())));
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", a.id());
                    m.put("record", a.recordId());
                    m.put("name", meta.get("name"));
                    m.put("mediaType", a.mediaType());
                    m.put("size", a.size());
                    m.put("sha256", meta.get("sha256"));
                    m.put("createdAt", time(a.createdAt()));
                    m.put("createdBy", a.createdBy());
                    m.put("path", "attachments/" + a.id());
                    out.write(ExportArchive.line(m));
                }
                after = page.get(page.size() - 1).id();
            }
        }
        String after = "";
        for (List<AttachmentStore.Row> page; !(page = core.attachments.page(tenant, after, PAGE)).isEmpty();) {
            for (AttachmentStore.Row a : page) {
                try (OutputStream out = zip.entry("attachments/" + a.id());
                        InputStream in = core.vault.decryptingStream(tenant, KeyPurpose.ATTACHMENTS,
                                core.attachments.chunks.read(tenant, a.id(), a.gen()), AttachmentServiceImpl.aad(tenant, a.recordId(), a.id()))) {
                    in.transferTo(out);
                }
                counts.attachments++;
                // after every file: a cancel stops the export here (nothing of it is kept), however big the files
                run.heartbeat(counts.records + counts.attachments, "exported " + counts.attachments + " attachments");
            }
            after = page.get(page.size() - 1).id();
        }
    }

    private void users(ExportArchive zip, boolean personal, Counts counts) throws IOException {
        try (OutputStream out = zip.entry("users.jsonl")) {
            for (User u : users.list()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", u.id());
                m.put("loginName", u.loginName());
                m.put("employeeNumber", u.employeeNumber());
                m.put("roles", u.roles());
                m.put("permissions", u.permissions());
                m.put("state", u.state().name());
                m.put("createdAt", time(u.createdAt()));
                m.put("updatedAt", time(u.updatedAt()));
                if (personal) {
                    // each read recorded (AUD-1) in the step's unit of work
                    users.profile(u.id()).ifPresent(pr -> {
                        Map<String, Object> profile = new LinkedHashMap<>();
                        profile.put("fullName", pr.fullName());
                        profile.put("email", pr.email());
                        profile.put("location", pr.location());
                        profile.put("timeZone", pr.timeZone());
                        profile.put("locale", pr.locale());
                        m.put("profile", profile);
                    });
                }
                out.write(ExportArchive.line(m));
                counts.users++;
            }
        }
    }

    private void auditLog(ExportArchive zip, String tenant, String jobId, Counts counts) throws IOException {
        try (OutputStream out = zip.entry("audit-log.jsonl")) {
            counts.auditEntries = audit.export(tenant, "tenant export (job " + jobId + ")").writeTo(out);
        }
    }

    private Map<String, Object> header(String tenant, String jobId, Principal p, boolean personal, boolean encrypted, Instant now,
            Counts counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", VERSION);
        m.put("tenant", tenant);
        m.put("job", jobId);
        m.put("createdAt", time(now));
        m.put("createdBy", p.kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + p.id());
        m.put("personalData", personal);
        m.put("encrypted", encrypted);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("records", counts.records);
        c.put("attachments", counts.attachments);
        c.put("users", counts.users);
        c.put("auditEntries", counts.auditEntries);
        m.put("counts", c);
        return m;
    }

    private char[] passphrase(String tenant, Params params) {
        byte[] plain = core.vault.decrypt(tenant, KeyPurpose.RECORDS, Base64.getDecoder().decode(params.passphrase()),
                ExportServiceImpl.passphraseAad(tenant, params.exportId()));
        try {
            return new String(plain, StandardCharsets.UTF_8).toCharArray();
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private String time(Instant t) {
        return t == null ? null : OffsetDateTime.ofInstant(t, core.clock.getZone()).toString();
    }

    private static String json(Object value) {
        try {
            return PayloadSchemas.JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
