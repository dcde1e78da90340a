package dev.mamori.records.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.Authorizer;
import dev.mamori.auth.UserService;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.job.JobInfo;
import dev.mamori.platform.job.JobRequest;
import dev.mamori.platform.job.JobService;
import dev.mamori.records.Category;
import dev.mamori.records.ImportRequest;
import dev.mamori.records.ImportService;
import dev.mamori.records.RecordErrors;
import dev.mamori.records.RecordEvents;
import dev.mamori.records.RecordImport;
import dev.mamori.vault.KeyPurpose;

/**
 * Accepts an import: the file streams through the vault's stream cipher into chunk rows (constant
 * memory, counted against {@code import.max.mib}), and the job {@link ImportJob} is submitted in the
 * same unit of work, so there is never a job without its file or a file without its job.
 */
@Component(service = ImportService.class)
public class ImportServiceImpl implements ImportService {
    private final RecordsCore core;
    private final Authorizer authorizer;
    private final UserService users;
    private final JobService jobs;

    /**
     * @param core       stores, vault, events
     * @param authorizer scoped permissions
     * @param users      accounts
     * @param jobs       runs the import
     */
    @Activate
    public ImportServiceImpl(@Reference RecordsCore core, @Reference Authorizer authorizer, @Reference UserService users,
            @Reference JobService jobs) {
        this.core = core;
        this.authorizer = authorizer;
        this.users = users;
        this.jobs = jobs;
    }

    @Override
    public RecordImport start(ImportRequest request, InputStream content) {
        Access a = Access.of(authorizer, users, core.tenants.requireTenantId());
        String tenant = a.tenantId();
        if (request == null) {
            throw invalid("Name the category and the format (csv or jsonl).");
        }
        String category = Fields.category(request.category(), RecordErrors.INVALID_IMPORT);
        String format = request.format() == null ? "" : request.format().toLowerCase(java.util.Locale.ROOT);
        if (!format.equals("csv") && !format.equals("jsonl")) {
            throw invalid("format: csv or jsonl.");
        }
        if (!ImportRows.knownCharset(request.charset())) {
            throw invalid("charset: auto (UTF-8 with or without BOM, else Windows-31J), utf-8, shift_jis or windows-31j.");
        }
        String charset = ImportRows.charset(request.charset()) == null ? "auto" : ImportRows.charset(request.charset()).name();
        return core.units.call(() -> {
            Category k = core.categories.find(tenant, category).orElseThrow(() -> invalid("category: no category '" + category
                    + "' in this tenant."));
            if (!a.mayWriteSomewhere()) {
                throw new MamoriException(RecordErrors.FORBIDDEN, "Importing needs records:write (each row is checked for its own scope).");
            }
            String id = UUID.randomUUID().toString();
            Instant now = core.clock.instant();
            core.imports.insert(tenant, new ImportStore.Row(id, k.name(), format, charset, 0, now, a.actorId()));
            AttachmentServiceImpl.Limited limited = new AttachmentServiceImpl.Limited(content, core.settings().maxImportBytes());
            try (OutputStream sink = core.imports.chunks.write(tenant, id, 0);
                    OutputStream enc = core.vault.encryptingStream(tenant, KeyPurpose.ATTACHMENTS, sink, aad(tenant, id))) {
                limited.transferTo(enc);
            } catch (IOException e) {
                throw new MamoriException(RecordErrors.INVALID_IMPORT, "The upload broke off; nothing was kept.", e, null);
            }
            core.imports.size(tenant, id, limited.count);
            JobInfo job = jobs.submit(JobRequest.of(ImportJob.TYPE, new ImportJob.Params(id)).tenant(tenant).key("records-import-" + id));
            core.events.publish(MamoriEvent.builder(RecordEvents.IMPORT_STARTED).target("record-import", id).detail("category", k.name())
                    .detail("format", format).detail("size", Long.toString(limited.count)).detail("job", job.id()));
            return new RecordImport(job.id(), k.name(), format, limited.count, now);
        });
    }

    static byte[] aad(String tenant, String id) {
        return ("record-import\n" + tenant + "\n" + id).getBytes(StandardCharsets.UTF_8);
    }

    private static MamoriException invalid(String message) {
        return new MamoriException(RecordErrors.INVALID_IMPORT, message);
    }
}
