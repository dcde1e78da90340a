package dev.mamori.records.internal;

import static dev.mamori.records.internal.RecordsFixture.as;
import static dev.mamori.records.internal.RecordsFixture.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mamori.platform.context.Principal;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.records.Category;
import dev.mamori.records.CategoryCount;
import dev.mamori.records.CategoryDefinition;
import dev.mamori.records.ErasurePolicy;
import dev.mamori.records.Record;
import dev.mamori.records.RecordDraft;
import dev.mamori.records.RecordErrors;
import dev.mamori.records.RecordEvents;
import dev.mamori.records.RecordPage;
import dev.mamori.records.RecordQuery;
import dev.mamori.records.TrashItem;
import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.KeyPurpose;

/** Records on H2 and PostgreSQL: encryption at rest, schemas, scoped permissions, versions, the trash and its ledger. */
class RecordServiceTest {
    static final String SCHEMA = "{\"type\":\"object\",\"required\":[\"height\"],\"properties\":{\"height\":{\"type\":\"number\","
            + "\"minimum\":50,\"maximum\":250},\"note\":{\"type\":\"string\",\"maxLength\":2000}},\"additionalProperties\":false}";
    private static RecordsFixture h2;

    static Stream<RecordsFixture> dbs() {
        if (h2 == null) {
            h2 = RecordsFixture.h2();
        }
        return Stream.of(h2, RecordsFixture.postgres());
    }

    @AfterAll
    static void closeAll() {
        h2 = null;
    }

    /** A tenant with an admin, the health-checkup category and a nurse who may read and write its dept/sales records. */
    static final class Tenant {
        final String id = UUID.randomUUID().toString();
        final Principal admin;
        final Principal nurse;

        Tenant(RecordsFixture fx) {
            admin = fx.admin(id);
            nurse = fx.account(id, "N-1", "reviewer");
            fx.grants.grant(nurse, "records:read:health-checkup/dept/sales", "records:write:health-checkup/dept/sales");
            as(admin, id, () -> fx.categories.define(new CategoryDefinition("health-checkup", "Health checkup", SCHEMA, 1825,
                    ErasurePolicy.DELETE)));
        }

        Record create(RecordsFixture fx, String subject, String payload) {
            return as(nurse, id, () -> fx.records.create(new RecordDraft("health-checkup", subject, payload, "dept/sales", Set.of("2026"))));
        }
    }

    private static void closeIfPg(RecordsFixture fx) {
        if (fx != h2) {
            fx.close();
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("CRY-2, IAM-3, AUD-1: a record round-trips encrypted; the database holds no payload byte in clear; every step is an event")
    void roundTrip(RecordsFixture fx) {
        try {
            Tenant t = new Tenant(fx);
            String marker = "MARKER-" + UUID.randomUUID();
            Record r = t.create(fx, "E-1001", "{\"height\": 172.5, \"note\": \"" + marker + "\"}");
            assertEquals(1, r.version());
            assertEquals("{\"height\":172.5,\"note\":\"" + marker + "\"}", r.payload());
            byte[] stored = (byte[]) fx.raw("SELECT payload FROM mamori_record WHERE id = ?", r.id()).get(0).get("payload");
            assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains(marker), "payload in clear at rest");
            Record read = as(t.nurse, t.id, () -> fx.records.find(r.id())).orElseThrow();
            assertEquals(r.payload(), read.payload());
            assertEquals(Set.of("2026"), read.labels());
            assertEquals(1, fx.events.of(RecordEvents.CREATED).stream().filter(e -> e.targetId().orElse("").equals(r.id())).count());
            assertTrue(fx.events.of(RecordEvents.READ).stream().anyMatch(e -> e.targetId().orElse("").equals(r.id())
                    && e.tenantId().orElse("").equals(t.id) && e.principalId().orElse("").equals(t.nurse.id())));
            Record changed = as(t.nurse, t.id, () -> fx.records.update(r.id(), 1, new RecordDraft(null, null,
                    "{\"height\": 173}", "dept/sales", Set.of())));
            assertEquals(2, changed.version());
            assertEquals(Set.of(), changed.labels());
            assertEquals("{\"height\":173}", as(t.nurse, t.id, () -> fx.records.find(r.id())).orElseThrow().payload());
        } finally {
            closeIfPg(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("CRY-2: a payload blob copied onto another record, or read under another version, does not decrypt")
    void blobsAreBoundToTheirRecordAndVersion(RecordsFixture fx) {
        try {
            Tenant t = new Tenant(fx);
            Record a = t.create(fx, "E-1", "{\"height\": 100}");
            Record b = t.create(fx, "E-2", "{\"height\": 200}");
            fx.rawUpdate("UPDATE mamori_record SET payload = (SELECT payload FROM mamori_record WHERE id = ?) WHERE id = ?", a.id(), b.id());
            assertThrows(DecryptionFailedException.class, () -> as(t.nurse, t.id, () -> fx.records.find(b.id())));
            fx.rawUpdate("UPDATE mamori_record SET version = 2 WHERE id = ?", a.id());
            assertThrows(DecryptionFailedException.class, () -> as(t.nurse, t.id, () -> fx.records.find(a.id())));
        } finally {
            closeIfPg(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("SEC-1: schema errors are 400 naming the field; not JSON, not an object, too large (413) - nothing stored")
    void payloadChecks(RecordsFixture fx) {
        try {
            Tenant t = new Tenant(fx);
            MamoriException e = assertThrows(MamoriException.class, () -> t.create(fx, "E-1", "{\"height\": \"tall\"}"));
            assertEquals(RecordErrors.INVALID_PAYLOAD, e.errorCode());
            assertTrue(e.getMessage().contains("height"), e.getMessage());
            e = assertThrows(MamoriException.class, () -> t.create(fx, "E-1", "{\"height\": 170, \"hobby\": \"x\"}"));
            assertTrue(e.getMessage().contains("hobby"), e.getMessage());
            e = assertThrows(MamoriException.class, () -> t.create(fx, "E-1", "{\"height\": 170,}"));
            assertEquals(RecordErrors.INVALID_PAYLOAD, e.errorCode());
            assertTrue(e.getMessage().contains("line 1"), e.getMessage());
            assertEquals(RecordErrors.INVALID_PAYLOAD, assertThrows(MamoriException.class, () -> t.create(fx, "E-1", "[1]")).errorCode());
            assertEquals(RecordErrors.INVALID_PAYLOAD, assertThrows(MamoriException.class,
                    () -> t.create(fx, "E-1", "{\"height\": 170, \"height\": 171}")).errorCode(), "duplicate keys");
            String big = "{\"height\": 170, \"note\": \"" + "x".repeat(70 * 1024) + "\"}";
            e = assertThrows(MamoriException.class, () -> t.create(fx, "E-1", big));
            assertEquals(ErrorKind.PAYLOAD_TOO_LARGE, e.kind());
            assertEquals(RecordErrors.INVALID_RECORD, assertThrows(MamoriException.class, () -> t.create(fx, "E-1'; DROP TABLE x;--",
                    "{\"height\": 170}")).errorCode());
            assertEquals(0, fx.raw("SELECT id FROM mamori_record WHERE tenant_id = ?", t.id).size());
        } finally {
            closeIfPg(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("IAM-2, TEN-1: scopes decide; another tenant, another department or no grant finds nothing; the subject reads their own")
    void scopesAndTenants(RecordsFixture fx) {
        try {
            Tenant t = new Tenant(fx);
            Record sales = t.create(fx, "E-7", "{\"height\": 160}");
            Principal hrNurse = fx.account(t.id, "N-2", "reviewer");
            fx.grants.grant(hrNurse, "records:read:health-checkup/dept/hr", "records:write:health-checkup/dept/hr");
            assertTrue(as(hrNurse, t.id, () -> fx.records.find(sales.id())).isEmpty(), "another department");
            assertEquals(List.of(), as(hrNurse, t.id, () -> fx.records.search(RecordQuery.all())).items());
            assertEquals(RecordErrors.NO_SUCH_RECORD, assertThrows(MamoriException.class, () -> as(hrNurse, t.id,
                    () -> fx.records.update(sales.id(), 1, new RecordDraft(null, null, "{\"height\": 1}", null, Set.of())))).errorCode());
            assertEquals(RecordErrors.FORBIDDEN, assertThrows(MamoriException.class, () -> as(hrNurse, t.id,
                    () -> fx.records.create(new RecordDraft("health-checkup", "E-7", "{\"height\": 160}", "dept/sales", Set.of()))))
                    .errorCode());
            // the person the record is about reads it, and cannot change it
            Principal subject = fx.account(t.id, "E-7", "employee");
            assertEquals(sales.payload(), as(subject, t.id, () -> fx.records.find(sales.id())).orElseThrow().payload());
            assertEquals(RecordErrors.FORBIDDEN, assertThrows(MamoriException.class, () -> as(subject, t.id,
                    () -> fx.records.delete(sales.id(), 1))).errorCode());
            // an admin holds no record permission by role
            assertTrue(as(t.admin, t.id, () -> fx.records.find(sales.id())).isEmpty());
            // another tenant: same id, its own valid session - nothing, the same answer as for a random id
            Tenant other = new Tenant(fx);
            fx.grants.grant(other.nurse, "records:*");
            assertTrue(as(other.nurse, other.id, () -> fx.records.find(sales.id())).isEmpty());
            assertTrue(as(other.nurse, other.id, () -> fx.records.find(UUID.randomUUID().toString())).isEmpty());
            assertEquals(List.of(), as(other.nurse, other.id, () -> fx.records.search(RecordQuery.all())).items());
            assertEquals(RecordErrors.NO_SUCH_RECORD, assertThrows(MamoriException.class,
                    () -> as(other.nurse, other.id, () -> fx.records.delete(sales.id(), 1))).errorCode());
            assertEquals(RecordErrors.NO_SUCH_RECORD, assertThrows(MamoriException.class,
                    () -> run(other.admin, other.id, () -> fx.trash.purge(sales.id()))).errorCode());
            // a principal of tenant A with tenant B bound is refused outright
            assertEquals(RecordErrors.FORBIDDEN, assertThrows(MamoriException.class,
                    () -> as(t.nurse, other.id, () -> fx.records.find(sales.id()))).errorCode());
            // categories are the tenant's own (TEN-7)
            assertTrue(as(other.nurse, other.id, () -> fx.categories.find("health-checkup")).isPresent(), "other defined its own");
            assertEquals(1, as(other.nurse, other.id, () -> fx.categories.list()).size());
            // platform accounts never read payloads (OPS-1, OPS-2)
            assertEquals(ErrorKind.FORBIDDEN, assertThrows(MamoriException.class, () -> as(Principal.support("s-1", Set.of("support")), t.id,
                    () -> fx.records.find(sales.id()))).kind());
        } finally {
            closeIfPg(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("Optimistic concurrency: a stale version is 412 and changes nothing")
    void staleVersion(RecordsFixture fx) {
        try {
            Tenant t = new Tenant(fx);
            Record r = t.create(fx, "E-1", "{\"height\": 150}");
            as(t.nurse, t.id, () -> fx.records.update(r.id(), 1, new RecordDraft(null, null, "{\"height\": 151}", "dept/sales", Set.of())));
            MamoriException e = assertThrows(MamoriException.class, () -> as(t.nurse, t.id, () -> fx.records.update(r.id(), 1,
                    new RecordDraft(null, null, "{\"height\": 999}", "dept/sales", Set.of()))));
            assertEquals(ErrorKind.PRECONDITION_FAILED, e.kind());
            assertEquals(ErrorKind.PRECONDITION_FAILED, assertThrows(MamoriException.class,
                    () -> as(t.nurse, t.id, () -> fx.records.delete(r.id(), 1))).kind());
            assertEquals("{\"height\":151}", as(t.nurse, t.id, () -> fx.records.find(r.id())).orElseThrow().payload());
        } finally {
            closeIfPg(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("RET-2, RET-3: delete hides at once, restore brings back, 30 days later the job purges for good and the ledger says so")
    void trash(RecordsFixture fx) {
        try {
            Tenant t = new Tenant(fx);
            Record r = t.create(fx, "E-1", "{\"height\": 150}");
            TrashItem item = as(t.nurse, t.id, () -> fx.records.delete(r.id(), 1));
            assertEquals(fx.clock.instant().plus(Duration.ofDays(30)), item.purgeAfter());
            assertTrue(as(t.nurse, t.id, () -> fx.records.find(r.id())).isEmpty());
            assertEquals(List.of(), as(t.nurse, t.id, () -> fx.records.search(RecordQuery.all())).items());
            assertEquals(List.of(r.id()), as(t.nurse, t.id, () -> fx.trash.list()).stream().map(TrashItem::recordId).collect(Collectors.toList()));
            as(t.nurse, t.id, () -> fx.trash.restore(r.id()));
            assertTrue(as(t.nurse, t.id, () -> fx.records.find(r.id())).isPresent());
            as(t.nurse, t.id, () -> fx.records.delete(r.id(), 1));
            Record kept = t.create(fx, "E-2", "{\"height\": 150}");
            // 29 days: still there; a tenant's own period is honoured for later deletions
            fx.clock.advance(Duration.ofDays(29));
            assertEquals(0, purgeAsJob(fx, t.id));
            fx.clock.advance(Duration.ofDays(1));
            assertEquals(1, purgeAsJob(fx, t.id));
            assertEquals(0, purgeAsJob(fx, t.id), "a re-run finds nothing more");
            assertEquals(0, fx.raw("SELECT id FROM mamori_record WHERE id = ?", r.id()).size());
            assertEquals(0, fx.raw("SELECT label FROM mamori_record_label WHERE record_id = ?", r.id()).size());
            var ledger = fx.raw("SELECT kind, reason, category FROM mamori_purge_ledger WHERE target_id = ?", r.id());
            assertEquals(1, ledger.size());
            assertEquals("expired", ledger.get(0).get("reason"));
            assertTrue(fx.events.of(RecordEvents.PURGED).stream().anyMatch(e -> e.tenantId().orElse("").equals(t.id)
                    && "1".equals(e.details().get("count"))));
            assertTrue(as(t.nurse, t.id, () -> fx.records.find(kept.id())).isPresent());
            // manual purge: tenant admins only
            fx.settings.put(t.id + "|" + RecordsCore.TRASH_DAYS_SETTING, "7");
            TrashItem second = as(t.nurse, t.id, () -> fx.records.delete(kept.id(), 1));
            assertEquals(fx.clock.instant().plus(Duration.ofDays(7)), second.purgeAfter());
            assertEquals(RecordErrors.FORBIDDEN, assertThrows(MamoriException.class, () -> run(t.nurse, t.id,
                    () -> fx.trash.purge(kept.id()))).errorCode());
            assertEquals(1, (int) as(t.admin, t.id, () -> fx.trash.purgeAll()));
            assertEquals("manual", fx.raw("SELECT reason FROM mamori_purge_ledger WHERE target_id = ?", kept.id()).get(0).get("reason"));
        } finally {
            closeIfPg(fx);
        }
    }

    private static int purgeAsJob(RecordsFixture fx, String tenant) {
        return as(Principal.system("jobs"), null, () -> fx.trash.purgeExpired(tenant));
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("AUD-3: when the audit trail refuses the event, the record is not written (one unit of work)")
    void noRecordWithoutItsEvent(RecordsFixture fx) {
        try {
            Tenant t = new Tenant(fx);
            fx.events.refuse = RecordEvents.CREATED;
            assertThrows(MamoriException.class, () -> t.create(fx, "E-1", "{\"height\": 150}"));
            fx.events.refuse = null;
            assertEquals(0, fx.raw("SELECT id FROM mamori_record WHERE tenant_id = ?", t.id).size());
            Record r = t.create(fx, "E-1", "{\"height\": 150}");
            fx.events.refuse = RecordEvents.READ;
            assertThrows(MamoriException.class, () -> as(t.nurse, t.id, () -> fx.records.find(r.id())), "no read without its record");
            fx.events.refuse = null;
        } finally {
            fx.events.refuse = null;
            closeIfPg(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("RET-5, TEN-7: categories - admins define them, schemas are fenced, one holding records cannot go; counts for support")
    void categories(RecordsFixture fx) {
        try {
            Tenant t = new Tenant(fx);
            Category k = as(t.admin, t.id, () -> fx.categories.find("health-checkup")).orElseThrow();
            assertEquals(1825, k.retentionDays());
            assertEquals(RecordErrors.FORBIDDEN, assertThrows(MamoriException.class, () -> as(t.nurse, t.id,
                    () -> fx.categories.define(new CategoryDefinition("x", "X", "{}", null, null)))).errorCode());
            for (String bad : List.of("{\"$ref\": \"https://169.254.169.254/latest\"}", "{\"$ref\": \"file:///etc/passwd\"}",
                    "{\"$id\": \"https://evil.example/s\", \"type\": \"object\"}", "{\"type\": \"objekt\"}", "not json", "[]",
                    "{\"$schema\": \"http://json-schema.org/draft-04/schema#\"}")) {
                MamoriException e = assertThrows(MamoriException.class, () -> as(t.admin, t.id,
                        () -> fx.categories.define(new CategoryDefinition("stress-check", "Stress check", bad, null, null))), bad);
                assertEquals(RecordErrors.INVALID_CATEGORY, e.errorCode(), bad);
            }
            assertEquals(RecordErrors.INVALID_CATEGORY, assertThrows(MamoriException.class, () -> as(t.admin, t.id,
                    () -> fx.categories.define(new CategoryDefinition("Bad Name", "x", "{}", null, null)))).errorCode());
            Record r = t.create(fx, "E-1", "{\"height\": 150}");
            assertEquals(RecordErrors.CATEGORY_IN_USE, assertThrows(MamoriException.class, () -> run(t.admin, t.id,
                    () -> fx.categories.remove("health-checkup"))).errorCode());
            // a changed schema applies to what is written next
            as(t.admin, t.id, () -> fx.categories.define(new CategoryDefinition("health-checkup", "Health checkup",
                    "{\"type\":\"object\",\"required\":[\"weight\"]}", null, ErasurePolicy.PSEUDONYMISE)));
            assertEquals(RecordErrors.INVALID_PAYLOAD, assertThrows(MamoriException.class, () -> t.create(fx, "E-1", "{\"height\": 150}"))
                    .errorCode());
            List<CategoryCount> counts = as(Principal.support("s-1", Set.of("support")), null, () -> fx.records.count(t.id));
            assertEquals(List.of(new CategoryCount("health-checkup", 1, 0)), counts);
            assertEquals(RecordErrors.FORBIDDEN, assertThrows(MamoriException.class, () -> as(t.nurse, t.id,
                    () -> fx.records.count(t.id))).errorCode());
            assertNotNull(r);
        } finally {
            closeIfPg(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("SEC-1: a catastrophic pattern in a schema fails one payload quickly instead of holding a CPU")
    void regexBudget(RecordsFixture fx) {
        try {
            Tenant t = new Tenant(fx);
            as(t.admin, t.id, () -> fx.categories.define(new CategoryDefinition("lifelog", "Lifelog",
                    "{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\",\"pattern\":\"^(a+)+$\"}}}", null, null)));
            fx.grants.grant(t.nurse, "records:*");
            long start = System.nanoTime();
            MamoriException e = assertThrows(MamoriException.class, () -> as(t.nurse, t.id, () -> fx.records.create(
                    new RecordDraft("lifelog", "E-1", "{\"code\": \"" + "a".repeat(40) + "!\"}", null, Set.of()))));
            assertEquals(RecordErrors.INVALID_PAYLOAD, e.errorCode());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(20).toNanos(), "the budget ended it");
            assertNotNull(as(t.nurse, t.id, () -> fx.records.create(new RecordDraft("lifelog", "E-1", "{\"code\": \"aaa\"}", null,
                    Set.of()))));
        } finally {
            closeIfPg(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("Search pages by change time with a cursor, filters by subject, category and label, and checks each record's scope")
    void search(RecordsFixture fx) {
        try {
            Tenant t = new Tenant(fx);
            for (int i = 0; i < 7; i++) {
                t.create(fx, "E-" + (i % 2), "{\"height\": " + (100 + i) + "}");
                fx.clock.advance(Duration.ofSeconds(1));
            }
            fx.grants.grant(t.admin, "records:write:health-checkup/dept/hr");
            as(t.admin, t.id, () -> fx.records.create(new RecordDraft("health-checkup", "E-0", "{\"height\": 99}", "dept/hr", Set.of())));
            RecordPage p1 = as(t.nurse, t.id, () -> fx.records.search(new RecordQuery(null, null, null, null, null, null, 3)));
            assertEquals(3, p1.items().size());
            assertEquals("{\"height\":106}", p1.items().get(0).payload(), "newest first; the hr record is not the nurse's");
            RecordPage p2 = as(t.nurse, t.id, () -> fx.records.search(new RecordQuery(null, null, null, null, null, p1.next(), 3)));
            RecordPage p3 = as(t.nurse, t.id, () -> fx.records.search(new RecordQuery(null, null, null, null, null, p2.next(), 3)));
            assertEquals(7, p1.items().size() + p2.items().size() + p3.items().size());
            assertNull(p3.next());
            assertEquals(4, as(t.nurse, t.id, () -> fx.records.search(new RecordQuery("E-0", "health-checkup", "2026", null, null, null,
                    50))).items().size());
            assertEquals(0, as(t.nurse, t.id, () -> fx.records.search(new RecordQuery(null, null, "nope", null, null, null, 50)))
                    .items().size());
            assertEquals(RecordErrors.INVALID_RECORD, assertThrows(MamoriException.class, () -> as(t.nurse, t.id,
                    () -> fx.records.search(new RecordQuery(null, null, null, null, null, "1' OR '1'='1", 5)))).errorCode());
            assertEquals(RecordErrors.INVALID_RECORD, assertThrows(MamoriException.class, () -> as(t.nurse, t.id,
                    () -> fx.records.search(new RecordQuery(null, null, null, java.time.Instant.MIN, null, null, 5)))).errorCode(),
                    "a time past what epoch milliseconds hold is 400, not an overflow");
        } finally {
            closeIfPg(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("CRY-2: a key rotation's re-encryption walks every record, live and trashed, and everything still reads")
    void reEncryption(RecordsFixture fx) {
        try {
            Tenant t = new Tenant(fx);
            Record a = t.create(fx, "E-1", "{\"height\": 150}");
            Record b = t.create(fx, "E-2", "{\"height\": 160}");
            as(t.nurse, t.id, () -> fx.records.delete(b.id(), 1));
            RecordReEncryption participant = new RecordReEncryption(fx.core);
            byte[] before = (byte[]) fx.raw("SELECT payload FROM mamori_record WHERE id = ?", a.id()).get(0).get("payload");
            int[] calls = {0};
            dev.mamori.vault.spi.ReEncryptor reEncryptor = new dev.mamori.vault.spi.ReEncryptor() {
                @Override
                public boolean isCurrent(byte[] blob) {
                    return false;
                }

                @Override
                public byte[] reEncrypt(byte[] blob, byte[] associatedData) {
                    calls[0]++;
                    byte[] plain = fx.vault.decrypt(t.id, KeyPurpose.RECORDS, blob, associatedData);
                    return fx.vault.encrypt(t.id, KeyPurpose.RECORDS, plain, associatedData);
                }

                @Override
                public void reEncrypt(java.io.InputStream source, java.io.OutputStream sink, byte[] associatedData) {
                    throw new UnsupportedOperationException();
                }
            };
            String cursor = null;
            int total = 0;
            do {
                String c = cursor;
                var batch = as(Principal.system("vault"), t.id, () -> participant.reEncrypt(t.id, KeyPurpose.RECORDS, c, 1, reEncryptor));
                total += batch.reEncrypted();
                cursor = batch.nextCursor();
            } while (cursor != null);
            assertEquals(2, total);
            byte[] after = (byte[]) fx.raw("SELECT payload FROM mamori_record WHERE id = ?", a.id()).get(0).get("payload");
            assertFalse(java.util.Arrays.equals(before, after));
            assertEquals(a.payload(), as(t.nurse, t.id, () -> fx.records.find(a.id())).orElseThrow().payload());
        } finally {
            closeIfPg(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("IAM-5: a person's erasure trashes their records of DELETE categories, keeps PSEUDONYMISE ones under the account id; "
            + "no record names their employee number afterwards")
    void erasure(RecordsFixture fx) {
        try {
            Tenant t = new Tenant(fx);
            as(t.admin, t.id, () -> fx.categories.define(new CategoryDefinition("attributes", "Attributes", "{\"type\":\"object\"}",
                    null, ErasurePolicy.PSEUDONYMISE)));
            fx.grants.grant(t.nurse, "records:*");
            Record hc = t.create(fx, "E-55", "{\"height\": 150}");
            Record old = t.create(fx, "E-55", "{\"height\": 151}");
            as(t.nurse, t.id, () -> fx.records.delete(old.id(), 1));
            Record attr = as(t.nurse, t.id, () -> fx.records.create(new RecordDraft("attributes", "E-55", "{\"grade\": 3}", null, Set.of())));
            Record someoneElse = t.create(fx, "E-56", "{\"height\": 160}");
            String account = UUID.randomUUID().toString();
            var effects = as(t.admin, t.id, () -> new RecordErasure(fx.core).erase(t.id, account, "E-55"));
            assertEquals(java.util.Map.of("trashed", 1L, "pseudonymised", 1L), effects);
            assertEquals(0, fx.raw("SELECT id FROM mamori_record WHERE tenant_id = ? AND subject = ?", t.id, "E-55").size());
            assertTrue(as(t.nurse, t.id, () -> fx.records.find(hc.id())).isEmpty(), "trashed");
            assertEquals(RecordErasure.pseudonym(account), as(t.nurse, t.id, () -> fx.records.find(attr.id())).orElseThrow().subject());
            assertEquals("E-56", as(t.nurse, t.id, () -> fx.records.find(someoneElse.id())).orElseThrow().subject());
            assertEquals(2, fx.events.of(RecordEvents.SUBJECT_ERASED).stream().filter(e -> e.tenantId().orElse("").equals(t.id)).count());
            assertEquals(java.util.Map.of(), as(t.admin, t.id, () -> new RecordErasure(fx.core).erase(t.id, account, null)));
        } finally {
            closeIfPg(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("CRY-4: a view joins the subject's name only for those who may see it: the person and the tenant's admins")
    void subjectName(RecordsFixture fx) {
        try {
            Tenant t = new Tenant(fx);
            var person = fx.account(t.id, "E-31", "employee");
            Record r = t.create(fx, "E-31", "{\"height\": 150}");
            assertTrue(as(t.nurse, t.id, () -> fx.records.subjectName(r.id())).isEmpty(), "a reader is no admin");
            assertEquals("Name of E-31", as(person, t.id, () -> fx.records.subjectName(r.id())).orElseThrow());
            fx.grants.grant(t.admin, "records:read:health-checkup/*");
            assertEquals("Name of E-31", as(t.admin, t.id, () -> fx.records.subjectName(r.id())).orElseThrow());
            fx.grants.grant(t.admin);
            assertTrue(as(t.admin, t.id, () -> fx.records.subjectName(r.id())).isEmpty(), "an admin who may not read the record gets nothing");
            Record nobody = t.create(fx, "E-404", "{\"height\": 150}");
            fx.grants.grant(t.admin, "records:read:health-checkup/*");
            assertTrue(as(t.admin, t.id, () -> fx.records.subjectName(nobody.id())).isEmpty(), "no account has that number");
        } finally {
            closeIfPg(fx);
        }
    }
}
