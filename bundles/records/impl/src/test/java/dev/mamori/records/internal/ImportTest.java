package dev.mamori.records.internal;

import static dev.mamori.records.internal.RecordsFixture.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.job.JobStep;
import dev.mamori.records.ImportRequest;
import dev.mamori.records.ImportService;
import dev.mamori.records.Record;
import dev.mamori.records.RecordErrors;
import dev.mamori.records.RecordEvents;
import dev.mamori.records.RecordImport;
import dev.mamori.records.RecordQuery;

/** Imports on H2 and PostgreSQL: CSV in UTF-8 (with and without BOM) and Windows-31J, JSON Lines, the report, all or nothing. */
class ImportTest {
    static Stream<RecordsFixture> dbs() {
        return RecordServiceTest.dbs();
    }

    static RecordImport start(RecordsFixture fx, RecordServiceTest.Tenant t, String format, String charset, byte[] file) {
        return as(t.nurse, t.id, () -> fx.imports.start(new ImportRequest("health-checkup", format, charset), new ByteArrayInputStream(file)));
    }

    static JobStep<ImportJob.Progress> run(RecordsFixture fx, RecordServiceTest.Tenant t) {
        return as(t.nurse, t.id, () -> fx.jobs.runLast(fx.importJob));
    }

    static List<Record> all(RecordsFixture fx, RecordServiceTest.Tenant t) {
        return as(t.nurse, t.id, () -> fx.records.search(new RecordQuery(null, null, null, null, null, null, 200)).items());
    }

    static String text(JobStep<?> step) {
        return step.kind() + " " + step.result().orElse("") + " " + step.detail().orElse("");
    }

    static byte[] bom(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 3];
        out[0] = (byte) 0xef;
        out[1] = (byte) 0xbb;
        out[2] = (byte) 0xbf;
        System.arraycopy(b, 0, out, 3, b.length);
        return out;
    }

    private static void close(RecordsFixture fx) {
        if (fx.db.isPostgres()) {
            fx.close();
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("IAM-3: a CSV in UTF-8 with a BOM and one in Shift_JIS (Windows-31J, Japanese header) import every row, typed by the schema")
    void csvInEveryEncoding(RecordsFixture fx) {
        try {
            RecordServiceTest.Tenant t = new RecordServiceTest.Tenant(fx);
            String csv = "subject,scope,labels,height,note\r\nE-1,dept/sales,2026 spring,170.5,\"健診, 問題なし\"\r\nE-2,dept/sales,,160,\r\n";
            RecordImport started = start(fx, t, "csv", null, bom(csv));
            assertEquals("health-checkup", started.category());
            assertTrue(fx.jobs.submitted.get(fx.jobs.submitted.size() - 1).type().name().equals("records.import"));
            JobStep<ImportJob.Progress> done = run(fx, t);
            assertTrue(text(done).contains("2 record(s) imported"), text(done));
            assertEquals(2, done.doneIncrement(), "progress counts the rows imported");
            assertEquals("{\"imported\":2,\"rejected\":0}", done.result().orElseThrow());
            List<Record> imported = all(fx, t);
            assertEquals(2, imported.size());
            Record e1 = imported.stream().filter(r -> r.subject().equals("E-1")).findFirst().orElseThrow();
            assertEquals("{\"height\":170.5,\"note\":\"健診, 問題なし\"}", e1.payload());
            assertEquals(Set.of("2026", "spring"), e1.labels());
            assertEquals(0, fx.raw("SELECT id FROM mamori_record_import WHERE tenant_id = ?", t.id).size(), "the file is gone");

            String sjis = "社員番号,scope,height,note\r\nE-9,dept/sales,150,山田さん経過観察\r\n";
            start(fx, t, "csv", "auto", sjis.getBytes(Charset.forName("windows-31j")));
            assertTrue(text(run(fx, t)).contains("1 record(s) imported"));
            Record e9 = all(fx, t).stream().filter(r -> r.subject().equals("E-9")).findFirst().orElseThrow();
            assertEquals("{\"height\":150,\"note\":\"山田さん経過観察\"}", e9.payload());
            assertEquals(2, fx.events.of(RecordEvents.IMPORT_FINISHED).stream().filter(e -> e.tenantId().orElse("").equals(t.id)).count());
        } finally {
            close(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("A file with bad rows imports nothing; the report (UTF-8 with BOM) names line and column and never a value")
    void badRowsImportNothing(RecordsFixture fx) {
        try {
            RecordServiceTest.Tenant t = new RecordServiceTest.Tenant(fx);
            String csv = "employee_number,scope,height\nE-1,dept/sales,170\nE-2,dept/sales,tall-SECRET\n,dept/sales,150\n"
                    + "E-4,dept/hr,150\n\"E-5,dept/sales,150\n";
            start(fx, t, "csv", "utf-8", csv.getBytes(StandardCharsets.UTF_8));
            JobStep<ImportJob.Progress> done = run(fx, t);
            assertTrue(text(done).contains("rows rejected; nothing imported"), text(done));
            assertEquals(List.of(), all(fx, t));
            byte[] report = fx.jobs.artifacts.entrySet().stream().filter(e -> e.getKey().endsWith("/" + ImportService.REPORT))
                    .map(java.util.Map.Entry::getValue).findFirst().orElseThrow();
            assertEquals((byte) 0xef, report[0], "a BOM, for Excel");
            String text = new String(report, 3, report.length - 3, StandardCharsets.UTF_8);
            assertTrue(text.startsWith("line,column,message\r\n"), text);
            assertTrue(text.contains("\r\n3,height,"), text);
            assertTrue(text.contains("\r\n4,subject,"), text);
            assertTrue(text.contains("\r\n5,,The permission 'records:write:health-checkup/dept/hr'"), text);
            assertTrue(text.contains("\r\n6,,CSV syntax"), text);
            assertTrue(!text.contains("SECRET"), "no cell value in the report: " + text);
            assertEquals(0, fx.raw("SELECT id FROM mamori_record_import WHERE tenant_id = ?", t.id).size());
        } finally {
            close(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("JSON Lines import; all or nothing when a create fails midway; size limit and permission checked at the start")
    void jsonLinesAllOrNothingAndLimits(RecordsFixture fx) {
        try {
            RecordServiceTest.Tenant t = new RecordServiceTest.Tenant(fx);
            String jsonl = "{\"subject\":\"E-1\",\"scope\":\"dept/sales\",\"labels\":[\"a\"],\"payload\":{\"height\":150}}\n\n"
                    + "{\"subject\":\"E-2\",\"scope\":\"dept/sales\",\"payload\":{\"height\":151}}\n";
            start(fx, t, "jsonl", null, jsonl.getBytes(StandardCharsets.UTF_8));
            fx.events.passBeforeRefusing.set(1);
            fx.events.refuse = RecordEvents.CREATED;
            assertThrows(MamoriException.class, () -> run(fx, t), "the audit trail refuses the second row's event");
            fx.events.refuse = null;
            assertEquals(List.of(), all(fx, t), "nothing of a failed import stays");
            assertTrue(text(run(fx, t)).contains("2 record(s) imported"), "a retry of the job imports it");
            assertEquals(2, all(fx, t).size());

            start(fx, t, "jsonl", null, "{\"subject\":\"E-3\",\"payload\":{\"height\":\"x\"},\"extra\":1}\n[1]\n".getBytes(StandardCharsets.UTF_8));
            assertTrue(text(run(fx, t)).contains("2 of 2 rows rejected"));

            MamoriException big = assertThrows(MamoriException.class, () -> start(fx, t, "csv", null, new byte[4 * 1024 * 1024 + 1]));
            assertEquals(ErrorKind.PAYLOAD_TOO_LARGE, big.kind());
            assertEquals(RecordErrors.INVALID_IMPORT, assertThrows(MamoriException.class, () -> start(fx, t, "xlsx", null, new byte[1]))
                    .errorCode());
            assertEquals(RecordErrors.INVALID_IMPORT, assertThrows(MamoriException.class, () -> start(fx, t, "csv", "ebcdic", new byte[1]))
                    .errorCode());
            var employee = fx.account(t.id, "E-77", "employee");
            assertEquals(RecordErrors.FORBIDDEN, assertThrows(MamoriException.class, () -> as(employee, t.id,
                    () -> fx.imports.start(new ImportRequest("health-checkup", "csv", null), new ByteArrayInputStream(new byte[1]))))
                    .errorCode());
        } finally {
            fx.events.refuse = null;
            close(fx);
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("SEC-5: a report cell a spreadsheet would run as a formula (an uploaded header can be one) starts with a quote")
    void reportCellsAreInert() {
        String text = new String(ImportJob.report(List.<String[]>of(ImportJob.inert(new String[] {"2", "=HYPERLINK(\"http://x\")", "@cmd"})), 1),
                StandardCharsets.UTF_8);
        assertTrue(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\",'@cmd"), text);
        assertEquals("line", ImportJob.inert(new String[] {"line"})[0]);
    }
}
