package dev.mamori.records.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mamori.auth.Authorizer;
import dev.mamori.auth.UserService;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;
import dev.mamori.platform.job.JobType;
import dev.mamori.records.Category;
import dev.mamori.records.ImportService;
import dev.mamori.records.RecordDraft;
import dev.mamori.records.RecordEvents;
import dev.mamori.vault.KeyPurpose;

/**
 * Runs an import as its submitter, in its tenant. First every row is read and checked exactly as a
 * single create would be (fields, the submitter's permission for the row's scope, the schema),
 * writing nothing; if any row fails, the report {@value ImportService#REPORT} (UTF-8 with a byte
 * order mark, so that Excel opens it; line, column, reason — never a value) is the job's artifact
 * and nothing is imported. Otherwise every row is created in the step's one unit of work: all or
 * nothing. With charset auto, a file that is not UTF-8 is read again as Windows-31J.
 */
@Component(service = JobHandler.class)
public class ImportJob implements JobHandler<ImportJob.Params, ImportJob.Progress> {
    static final JobType<Params, Progress> TYPE = JobType.of("records.import", Params.class, Progress.class).submittableByTenants();
    /** Rejected rows listed in a report at most (the count is always complete). */
    static final int MAX_REPORTED = 1000;
    private final RecordsCore core;
    private final RecordServiceImpl records;
    private final Authorizer authorizer;
    private final UserService users;

    /**
     * @param core       stores, vault
     * @param records    checks and creates each row as a single create would
     * @param authorizer scoped permissions
     * @param users      accounts
     */
    @Activate
    public ImportJob(@Reference RecordsCore core, @Reference RecordServiceImpl records, @Reference Authorizer authorizer,
            @Reference UserService users) {
        this.core = core;
        this.records = records;
        this.authorizer = authorizer;
        this.users = users;
    }

    /** @param importId the upload */
    public record Params(String importId) {
    }

    /** @param phase where the job is; @param rows rows read so far */
    public record Progress(String phase, long rows) {
    }

    @Override
    public JobType<Params, Progress> type() {
        return TYPE;
    }

    @Override
    public JobStep<Progress> step(JobRun<Params, Progress> run) {
        Access a = Access.of(authorizer, users, core.tenants.requireTenantId());
        String tenant = a.tenantId();
        ImportStore.Row upload = core.imports.find(tenant, run.parameters().importId()).orElse(null);
        if (upload == null) {
            return JobStep.finished("The upload is gone (imported already, or older than 7 days); nothing imported.");
        }
        Category k = core.categories.find(tenant, upload.category()).orElse(null);
        if (k == null) {
            return end(run, a, upload, 0, 0, "The category '" + upload.category() + "' was removed; nothing imported.");
        }
        JsonNode schema;
        try {
            schema = PayloadSchemas.JSON.readTree(k.schema());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String[]> reported = new ArrayList<>();
        long[] counts = {0, 0};
        Charset charset = read(run, upload, schema, row -> {
            counts[0]++;
            String[] problem = problem(a, k, row);
            if (problem != null) {
                counts[1]++;
                if (reported.size() < MAX_REPORTED) {
                    reported.add(problem);
                }
            }
            if (counts[0] % 1000 == 0) {
                run.heartbeat(counts[0], "checked " + counts[0] + " rows");
            }
        }, () -> {
            counts[0] = 0;
            counts[1] = 0;
            reported.clear();
        });
        if (counts[1] > 0) {
            run.writeArtifact(ImportService.REPORT, "text/csv", report(reported, counts[1]));
            return end(run, a, upload, 0, counts[1], counts[1] + " of " + counts[0] + " rows rejected; nothing imported (see "
                    + ImportService.REPORT + ").");
        }
        // all or nothing: every create joins the step's unit of work, which commits when the step returns
        long[] imported = {0};
        core.units.run(() -> read(run, upload, schema, charset, row -> {
            records.insert(a, records.check(a, k, new RecordDraft(k.name(), row.draft().subject(), row.draft().payload(),
                    row.draft().scope(), row.draft().labels())));
            imported[0]++;
        }));
        return end(run, a, upload, imported[0], 0, imported[0] + " record(s) imported into " + k.name() + ".");
    }

    private JobStep<Progress> end(JobRun<Params, Progress> run, Access a, ImportStore.Row upload, long imported, long rejected,
            String message) {
        core.units.run(() -> {
            core.imports.delete(a.tenantId(), upload.id());
            core.events.publish(MamoriEvent.builder(RecordEvents.IMPORT_FINISHED).target("record-import", upload.id())
                    .detail("category", upload.category()).detail("imported", Long.toString(imported))
                    .detail("rejected", Long.toString(rejected)).detail("job", run.id()));
        });
        // done = rows imported (the job list's progress), with the counts as the machine-readable result
        return JobStep.<Progress>finished(message).withDone(imported).withResult("{\"imported\":" + imported + ",\"rejected\":" + rejected + "}");
    }

    /** @return why a row cannot be created ({line, column, message}), or null if it can */
    private String[] problem(Access a, Category k, ImportRows.Row row) {
        if (row.draft() == null) {
            return new String[] {Long.toString(row.line()), row.column() == null ? "" : row.column(), row.error()};
        }
        try {
            records.check(a, k, new RecordDraft(k.name(), row.draft().subject(), row.draft().payload(), row.draft().scope(),
                    row.draft().labels()));
            return null;
        } catch (MamoriException e) {
            return new String[] {Long.toString(row.line()), column(e.getMessage()), e.getMessage()};
        }
    }

    /** The field a check names: a payload path ({@code $.height} → height) or the field before ':' (subject, scope, labels). */
    static String column(String message) {
        int dollar = message.indexOf("$.");
        if (dollar >= 0) {
            int end = dollar + 2;
            while (end < message.length() && (Character.isLetterOrDigit(message.charAt(end)) || "_-".indexOf(message.charAt(end)) >= 0)) {
                end++;
            }
            return message.substring(dollar + 2, end);
        }
        int colon = message.indexOf(':');
        String head = colon > 0 ? message.substring(0, colon) : "";
        return head.matches("[a-z]+") ? head : "";
    }

    /** Reads the upload with its charset, or, for auto, as UTF-8 and again as Windows-31J if it is not UTF-8. @return the charset used */
    private Charset read(JobRun<Params, Progress> run, ImportStore.Row upload, JsonNode schema, Consumer<ImportRows.Row> sink,
            Runnable restart) {
        Charset named = ImportRows.charset(upload.charset());
        if (named != null) {
            read(run, upload, schema, named, sink);
            return named;
        }
        try {
            readOrFail(upload, schema, StandardCharsets.UTF_8, sink);
            return StandardCharsets.UTF_8;
        } catch (CharacterCodingException e) {
            restart.run();
            read(run, upload, schema, ImportRows.WINDOWS_31J, sink);
            return ImportRows.WINDOWS_31J;
        }
    }

    private void read(JobRun<Params, Progress> run, ImportStore.Row upload, JsonNode schema, Charset charset,
            Consumer<ImportRows.Row> sink) {
        try {
            readOrFail(upload, schema, charset, sink);
        } catch (CharacterCodingException e) {
            sink.accept(ImportRows.Row.rejected(0, null, "The file is not " + charset.name() + "; name its charset (utf-8, shift_jis)."));
        }
    }

    private void readOrFail(ImportStore.Row upload, JsonNode schema, Charset charset, Consumer<ImportRows.Row> sink)
            throws CharacterCodingException {
        String tenant = core.tenants.requireTenantId();
        try (InputStream plain = core.vault.decryptingStream(tenant, KeyPurpose.ATTACHMENTS, core.imports.chunks.read(tenant, upload.id(), 0),
                ImportServiceImpl.aad(tenant, upload.id()))) {
            ImportRows.read(plain, upload.format(), charset, schema, sink);
        } catch (CharacterCodingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Cells a spreadsheet would run as a formula (a header of the uploaded file can be one) start
     * with a quote instead (CSV injection, OWASP).
     */
    static String[] inert(String[] cells) {
        String[] out = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i] == null ? "" : cells[i];
            out[i] = !c.isEmpty() && "=+-@\t\r".indexOf(c.charAt(0)) >= 0 ? "'" + c : c;
        }
        return out;
    }

    /** The rejected rows as CSV, UTF-8 with a byte order mark (Excel opens it right). */
    static byte[] report(List<String[]> rows, long total) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xef);
        out.write(0xbb);
        out.write(0xbf);
        try (CSVPrinter p = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8), CSVFormat.RFC4180)) {
            p.printRecord("line", "column", "message");
            for (String[] r : rows) {
                p.printRecord((Object[]) inert(r));
            }
            if (total > rows.size()) {
                p.printRecord("", "", (total - rows.size()) + " more rejected rows are not listed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
