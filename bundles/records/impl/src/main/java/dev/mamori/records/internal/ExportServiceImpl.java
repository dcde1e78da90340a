package dev.mamori.records.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.audit.AuditService;
import dev.mamori.auth.Roles;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PlatformPurpose;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobRequest;
import dev.mamori.platform.job.JobService;
import dev.mamori.records.ExportRequest;
import dev.mamori.records.ExportService;
import dev.mamori.records.RecordErrors;
import dev.mamori.records.RecordEvents;
import dev.mamori.records.RecordExport;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;
import dev.mamori.vault.KeyPurpose;

/**
 * Starts exports: checks the caller, keeps the passphrase only encrypted by the vault (in the job's
 * parameters, bound to the tenant and the export), and submits {@link ExportJob} in the caller's
 * unit of work with the start event. Requires the audit log (the export holds it): without it, this
 * service is not offered.
 */
@Component(service = ExportService.class)
public class ExportServiceImpl implements ExportService {
    /** Why an operator reaches a tenant for its export. */
    static final PlatformPurpose EXPORT = PlatformPurpose.of("records.export",
            "export the tenant's data for its own admins to download (without personal data)");
    /** The key of a tenant's export job: one open at a time. */
    static final String KEY = "records-export";
    private final RecordsCore core;
    private final JobService jobs;
    private final TenantService tenants;

    /**
     * @param core    stores, vault, events
     * @param jobs    runs the export
     * @param audit   the log the export holds (required: no export without it)
     * @param tenants a tenant's state, for an operator's export
     */
    @Activate
    public ExportServiceImpl(@Reference RecordsCore core, @Reference JobService jobs, @Reference AuditService audit,
            @Reference TenantService tenants) {
        this.core = core;
        this.jobs = jobs;
        this.tenants = tenants;
    }

    @Override
    public RecordExport start(ExportRequest request) {
        String tenant = core.tenants.requireTenantId();
        Principal p = ExecutionContext.require().principal().orElse(null);
        if (p == null || p.kind() != PrincipalKind.USER || !p.hasRole(Roles.TENANT_ADMIN) || !p.tenantId().map(tenant::equals).orElse(false)) {
            throw new MamoriException(RecordErrors.FORBIDDEN, "Exports are for the tenant's admins.");
        }
        String passphrase = request == null ? null : request.passphrase();
        if (passphrase != null) {
            int length = passphrase.codePointCount(0, passphrase.length());
            if (length < MIN_PASSPHRASE || length > MAX_PASSPHRASE || passphrase.isBlank()) {
                throw new MamoriException(RecordErrors.INVALID_EXPORT, "passphrase: " + MIN_PASSPHRASE + " to " + MAX_PASSPHRASE
                        + " characters (or none, for a ZIP encrypted only in transit).");
            }
            // what a person can type into gpg: no control characters (a NUL or newline cannot be entered), no lone surrogate
            // (it would be encoded as '?', a passphrase other than the one asked for)
            if (passphrase.codePoints().anyMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.SURROGATE)) {
                throw new MamoriException(RecordErrors.INVALID_EXPORT, "passphrase: no control characters and no lone UTF-16 "
                        + "surrogates (it must be typeable into gpg).");
            }
        }
        return submit(tenant, passphrase, true);
    }

    @Override
    public RecordExport startForTenant(String tenantIdOrSlug) {
        ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR);
        if (tenantIdOrSlug == null || tenantIdOrSlug.isBlank()) {
            throw new MamoriException(RecordErrors.INVALID_EXPORT, "Name the tenant.");
        }
        Tenant t = tenants.find(tenantIdOrSlug).orElseThrow(() -> new MamoriException(RecordErrors.INVALID_EXPORT, "No tenant '"
                + RecordServiceImpl.printable(tenantIdOrSlug) + "'."));
        if (t.state() != TenantState.ACTIVE && t.state() != TenantState.TRIAL) {
            // only the tenant's admins download an export; in these states they cannot sign in, so it would sit unread
            throw new MamoriException(RecordErrors.INVALID_EXPORT, "The tenant is " + t.state() + ": its admins cannot sign in to "
                    + "download an export. Reactivate it first (an export is only for the tenant's own admins).");
        }
        return core.tenants.callAsPlatform(t.id(), EXPORT, () -> submit(core.tenants.requireTenantId(), null, false));
    }

    private RecordExport submit(String tenant, String passphrase, boolean personalData) {
        // each export can be as big as the tenant and is kept for the artifacts' lifetime: a budget per tenant (outside attack:
        // one admin added a gigabyte a minute to storage every tenant shares)
        int budget = core.settings().exportsPerDay();
        java.time.Instant since = core.clock.instant().minus(java.time.Duration.ofDays(1));
        long recent = jobs.list(ExportJob.TYPE.name(), tenant, budget + 1).stream().filter(j -> j.createdAt().isAfter(since)).count();
        if (recent >= budget) {
            throw new MamoriException(RecordErrors.EXPORT_LIMIT, "This tenant started " + recent + " exports in the last 24 hours, the "
                    + "most allowed (dev.mamori.records export.per.day); download one of them, or try again later.");
        }
        String id = UUID.randomUUID().toString();
        String sealed = passphrase == null ? null : Base64.getEncoder().encodeToString(core.vault.encrypt(tenant, KeyPurpose.RECORDS,
                passphrase.getBytes(StandardCharsets.UTF_8), passphraseAad(tenant, id)));
        Instant now = core.clock.instant();
        return core.units.call(() -> {
            // one export per tenant at a time: the key is the tenant's; an open job with it is returned instead of a new one
            JobInfo job = jobs.submit(JobRequest.of(ExportJob.TYPE, new ExportJob.Params(id, sealed, personalData)).tenant(tenant)
                    .key(KEY));
            if (job.parameters() == null || !job.parameters().contains(id)) {
                throw new MamoriException(RecordErrors.EXPORT_IN_PROGRESS, "An export of this tenant is open (job " + job.id() + ", "
                        + job.state() + "): wait for it to end, or cancel it (POST /api/v1/jobs/" + job.id() + "/cancel).");
            }
            core.events.publish(MamoriEvent.builder(RecordEvents.EXPORT_STARTED).target("record-export", id)
                    .detail("encrypted", Boolean.toString(passphrase != null)).detail("job", job.id()));
            return new RecordExport(job.id(), passphrase == null ? ZIP : ENCRYPTED_ZIP, passphrase != null, personalData, now);
        });
    }

    /** Binds the sealed passphrase to its tenant and export. */
    static byte[] passphraseAad(String tenant, String exportId) {
        return ("record-export-passphrase\n" + tenant + "\n" + exportId).getBytes(StandardCharsets.UTF_8);
    }
}
