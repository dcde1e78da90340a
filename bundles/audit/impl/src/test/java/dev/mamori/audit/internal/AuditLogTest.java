package dev.mamori.audit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.audit.AuditEntry;
import dev.mamori.audit.AuditErrors;
import dev.mamori.audit.AuditPage;
import dev.mamori.audit.AuditQuery;
import dev.mamori.audit.AuditService;
import dev.mamori.audit.AuditVerification;
import dev.mamori.audit.LogCheckpoint;
import dev.mamori.audit.Proof;
import dev.mamori.audit.proof.Checkpoint;
import dev.mamori.audit.proof.ExportVerifier;
import dev.mamori.audit.proof.LogVerifier;
import dev.mamori.audit.proof.MerkleTree;
import dev.mamori.audit.proof.SignedNote;
import dev.mamori.auth.Roles;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.db.UnitOfWork;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.EventType;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.testsupport.TestDatabase;

@DisplayName("Audit log (AUD-1..4, AUD-6): recorded in the action's unit, Merkle trees per tenant, signed checkpoints, proofs, verification")
class AuditLogTest {
    static final EventType DONE = EventType.of("test.thing.done", "n");
    static final String T1 = UUID.randomUUID().toString();
    static final String T2 = UUID.randomUUID().toString();

    final List<AuditFixture> fixtures = new ArrayList<>();

    @AfterEach
    void close() {
        fixtures.forEach(AuditFixture::close);
    }

    AuditFixture h2() {
        AuditFixture f = new AuditFixture(TestDatabase.h2Memory());
        fixtures.add(f);
        return f;
    }

    static ExecutionContext admin(String tenant) {
        return ExecutionContext.builder(Channel.REST).principal(Principal.user("admin-" + tenant.substring(0, 8), tenant,
                Set.of(Roles.TENANT_ADMIN))).tenant(tenant).clientIp("203.0.113.7").userAgent("test-agent/1.0").build();
    }

    static ExecutionContext employee(String tenant) {
        return ExecutionContext.builder(Channel.REST).principal(Principal.user("emp-1", tenant, Set.of("employee"))).tenant(tenant)
                .clientIp("203.0.113.8").build();
    }

    static ExecutionContext operator() {
        return ExecutionContext.builder(Channel.SHELL).principal(Principal.operator("op-1", Set.of("operator"))).clientIp("192.0.2.1")
                .build();
    }

    static <T> T as(ExecutionContext c, Supplier<T> work) {
        return c.call(work);
    }

    void record(AuditFixture f, String tenant, int n) {
        ExecutionContext c = tenant == null ? operator() : admin(tenant);
        for (int i = 0; i < n; i++) {
            int k = i;
            c.run(() -> f.events.publish(MamoriEvent.builder(DONE).target("thing", "t" + k).detail("n", k)));
        }
    }

    static List<byte[]> leaves(AuditFixture f, String log) throws Exception {
        List<byte[]> out = new ArrayList<>();
        try (Connection c = f.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT entry_bytes FROM mamori_audit_entry WHERE log_id = ? ORDER BY idx")) {
            ps.setString(1, log);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(MerkleTree.leafHash(rs.getBytes(1)));
                }
            }
        }
        return out;
    }

    @Test
    @DisplayName("AUD-1/AUD-2/AUD-6: every event lands in its tenant's log with actor, client address, user agent and a +09:00 time")
    void aud1_recordsPerTenant() {
        AuditFixture f = h2();
        record(f, T1, 5);
        record(f, T2, 3);
        record(f, null, 2);
        AuditPage p1 = as(admin(T1), () -> f.service.search(AuditQuery.all(null, 100)));
        assertEquals(5, p1.entries().size());
        AuditEntry first = p1.entries().get(0);
        assertEquals(0, first.index());
        assertEquals(T1, first.event().tenantId().orElseThrow());
        assertEquals("203.0.113.7", first.event().clientIp().orElseThrow());
        assertEquals("test-agent/1.0", first.event().userAgent().orElseThrow());
        assertTrue(first.event().time().toString().endsWith("+09:00"), first.event().time().toString());
        assertEquals(3, as(admin(T2), () -> f.service.search(AuditQuery.all(null, 100))).entries().size());
        assertEquals(2, as(operator(), () -> f.service.search(AuditQuery.all(null, 100))).entries().size());
    }

    @Test
    @DisplayName("AUD-3: an action that rolls back leaves no entry; an unwritable store makes the action fail")
    void aud3_failClosed() throws Exception {
        AuditFixture f = h2();
        assertThrows(IllegalStateException.class, () -> admin(T1).run(() -> UnitOfWork.get().run(() -> {
            f.events.publish(MamoriEvent.builder(DONE).detail("n", 1));
            throw new IllegalStateException("the action failed after its event");
        })));
        record(f, T1, 1);
        AuditPage page = as(admin(T1), () -> f.service.search(AuditQuery.all(null, 100)));
        assertEquals(1, page.entries().size(), "only the committed action is in the log");
        try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE mamori_audit_pending RENAME TO mamori_audit_pending_gone");
        }
        MamoriException e = assertThrows(MamoriException.class, () -> record(f, T1, 1));
        assertEquals(AuditErrors.STORE_UNAVAILABLE, e.errorCode());
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE mamori_audit_pending_gone RENAME TO mamori_audit_pending");
        }
        record(f, T1, 1);
        assertEquals(2, as(admin(T1), () -> f.service.search(AuditQuery.all(null, 100))).entries().size(), "recovers by itself");
    }

    @Test
    @DisplayName("AUD-3: the tree head is RFC 9162's over the canonical entries; checkpoints are C2SP notes that verify with the published key")
    void aud3_checkpointsAndProofs() throws Exception {
        checkpointsAndProofs(h2());
    }

    @Test
    @DisplayName("AUD-3 on PostgreSQL: the same tree, checkpoints, proofs and verification")
    void aud3_checkpointsAndProofsOnPostgres() throws Exception {
        AuditFixture f = new AuditFixture(TestDatabase.postgres("audit"));
        fixtures.add(f);
        checkpointsAndProofs(f);
        AuditVerification v = as(admin(T1), () -> f.service.verify(null, List.of(), null));
        assertTrue(v.ok(), v.message());
        assertEquals(300, v.entries());
    }

    void checkpointsAndProofs(AuditFixture f) throws Exception {
        record(f, T1, 300);
        LogCheckpoint cp = as(admin(T1), () -> f.service.checkpoint(null, null)).orElseThrow();
        List<byte[]> leaves = leaves(f, T1);
        assertEquals(300, cp.size());
        assertArrayEquals(MerkleTree.root(leaves), cp.root());
        List<String> keys = as(admin(T1), () -> f.service.verifierKeys(null, null));
        String text = SignedNote.open(cp.note(), keys.get(0)).orElseThrow();
        Checkpoint body = Checkpoint.parse(text);
        assertEquals("mamori.test/audit/" + T1, body.origin());
        assertTrue(body.extensions().get(0).matches("time 2026-12-01T09:00:00\\.000\\+09:00"), body.extensions().toString());
        assertTrue(keys.get(0).startsWith("mamori.test/audit/" + T1 + "+"));
        for (long i : new long[] {0, 1, 127, 255, 256, 299}) {
            for (long size : new long[] {i + 1, 257, 300}) {
                if (size <= i) {
                    continue;
                }
                Proof p = as(admin(T1), () -> f.service.inclusion(null, i, size, null));
                assertEquals(MerkleTree.inclusionProof(leaves.subList(0, (int) size), i).size(), p.path().size());
                assertTrue(MerkleTree.verifyInclusion(i, size, leaves.get((int) i), p.path(), MerkleTree.root(leaves.subList(0, (int) size))),
                        "inclusion " + i + " in " + size);
            }
        }
        for (long m : new long[] {1, 2, 255, 256, 257, 299}) {
            Proof p = as(admin(T1), () -> f.service.consistency(null, m, 300, null));
            assertTrue(MerkleTree.verifyConsistency(m, 300, p.path(), MerkleTree.root(leaves.subList(0, (int) m)), cp.root()), "consistency " + m);
        }
        MamoriException out = assertThrows(MamoriException.class, () -> as(admin(T1), () -> f.service.inclusion(null, 300, 300, null)));
        assertEquals(AuditErrors.OUT_OF_RANGE, out.errorCode());
    }

    @Test
    @DisplayName("AUD-3: a checkpoint every N entries without asking, written to the sinks")
    void aud3_checkpointEveryN() {
        AuditFixture f = new AuditFixture(TestDatabase.h2Memory(), AuditFixture.config("mamori.test/audit", 50, 5, 12));
        fixtures.add(f);
        record(f, T1, 120);
        assertTrue(f.sinkLines.contains(T1 + " 50"), f.sinkLines.toString());
        assertTrue(f.sinkLines.contains(T1 + " 100"), f.sinkLines.toString());
        f.clock.advance(Duration.ofMinutes(6));
        assertEquals(1, f.engine.checkpointAll(Duration.ofMinutes(5)));
        assertTrue(f.sinkLines.contains(T1 + " 120"), f.sinkLines.toString());
    }

    @Test
    @DisplayName("AUD-4: a tenant admin sees only its tenant; an employee gets 403; an operator reads a tenant's log only with a reason, recorded there")
    void aud4_access() {
        AuditFixture f = h2();
        record(f, T1, 2);
        record(f, T2, 2);
        MamoriException other = assertThrows(MamoriException.class, () -> as(admin(T1), () -> f.service.search(AuditQuery.all(T2, 10))));
        assertEquals(ErrorKind.NOT_FOUND, other.kind());
        MamoriException emp = assertThrows(MamoriException.class, () -> as(employee(T1), () -> f.service.search(AuditQuery.all(null, 10))));
        assertEquals(ErrorKind.FORBIDDEN, emp.kind());
        MamoriException support = assertThrows(MamoriException.class, () -> ExecutionContext.builder(Channel.REST)
                .principal(Principal.support("s-1", Set.of("support"))).build().call(() -> f.service.search(AuditQuery.all(null, 10))));
        assertEquals(ErrorKind.FORBIDDEN, support.kind());
        MamoriException noReason = assertThrows(MamoriException.class, () -> as(operator(), () -> f.service.search(AuditQuery.all(T1, 10))));
        assertEquals(AuditErrors.REASON_REQUIRED, noReason.errorCode());
        MamoriException none = assertThrows(MamoriException.class, () -> as(operator(),
                () -> f.service.search(new AuditQuery(UUID.randomUUID().toString(), null, null, null, null, null, -1, 10, "TICKET-1"))));
        assertEquals(ErrorKind.NOT_FOUND, none.kind());
        AuditPage read = as(operator(), () -> f.service.search(new AuditQuery(T1, null, null, null, null, null, -1, 10, "TICKET-42")));
        AuditEntry last = read.entries().get(read.entries().size() - 1);
        assertEquals("audit.log.read", last.event().type(), "the operator's read is the newest entry of the tenant's own log");
        assertEquals("TICKET-42", last.event().details().get("reason"));
        assertEquals("op-1", last.event().principalId().orElseThrow());
        assertEquals("192.0.2.1", last.event().clientIp().orElseThrow());
        assertThrows(MamoriException.class, () -> f.service.search(AuditQuery.all(null, 10)), "no context, no log");
    }

    @Test
    @DisplayName("AUD-4: search filters by time, actor, action prefix and outcome, paged")
    void aud4_search() {
        AuditFixture f = h2();
        record(f, T1, 30);
        f.clock.advance(Duration.ofHours(1));
        employee(T1).run(() -> f.events.publish(MamoriEvent.builder(DONE).outcome(MamoriEvent.Outcome.DENIED).detail("n", 99)));
        AuditPage denied = as(admin(T1), () -> f.service.search(new AuditQuery(null, null, null, null, null, MamoriEvent.Outcome.DENIED,
                -1, 10, null)));
        assertEquals(1, denied.entries().size());
        assertEquals("emp-1", denied.entries().get(0).event().principalId().orElseThrow());
        assertEquals(1, as(admin(T1), () -> f.service.search(new AuditQuery(null, f.clock.instant(), null, null, null, null, -1, 10, null)))
                .entries().size());
        assertEquals(1, as(admin(T1), () -> f.service.search(new AuditQuery(null, null, null, "emp-1", null, null, -1, 10, null)))
                .entries().size());
        assertEquals(31, as(admin(T1), () -> f.service.search(new AuditQuery(null, null, null, null, "test.", null, -1, 100, null)))
                .entries().size());
        assertEquals(0, as(admin(T1), () -> f.service.search(new AuditQuery(null, null, null, null, "tes%.", null, -1, 100, null)))
                .entries().size(), "a LIKE wildcard in the prefix matches only itself");
        AuditPage p1 = as(admin(T1), () -> f.service.search(AuditQuery.all(null, 20)));
        assertEquals(19, p1.next());
        AuditPage p2 = as(admin(T1), () -> f.service.search(new AuditQuery(null, null, null, null, null, null, p1.next(), 20, null)));
        assertEquals(11, p2.entries().size());
        assertEquals(-1, p2.next());
        assertEquals(20, p2.entries().get(0).index());
    }

    @Test
    @DisplayName("AUD-3: verification over the database and of the export agree; an edited row is found at its position")
    void aud3_verifyAndExport() throws Exception {
        AuditFixture f = h2();
        record(f, T1, 700);
        as(admin(T1), () -> f.service.checkpoint(null, null));
        AuditVerification ok = as(admin(T1), () -> f.service.verify(null, List.of(), null));
        assertTrue(ok.ok(), ok.message());
        assertEquals(700, ok.entries());
        List<String> keys = as(admin(T1), () -> f.service.verifierKeys(null, null));
        String export = export(f);
        assertTrue(ExportVerifier.verify(new StringReader(export), keys, List.of()).ok());
        try (Connection c = f.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE mamori_audit_entry SET entry_bytes = ? WHERE log_id = ? AND idx = 123")) {
            ps.setBytes(1, new String(f.engine.store.read(x -> {
                try (PreparedStatement q = x.prepareStatement("SELECT entry_bytes FROM mamori_audit_entry WHERE log_id = ? AND idx = 123")) {
                    q.setString(1, T1);
                    try (ResultSet rs = q.executeQuery()) {
                        rs.next();
                        return rs.getBytes(1);
                    }
                }
            }), StandardCharsets.UTF_8).replace("\"n\":\"123\"", "\"n\":\"124\"").getBytes(StandardCharsets.UTF_8));
            ps.setString(2, T1);
            assertEquals(1, ps.executeUpdate());
        }
        AuditVerification bad = as(admin(T1), () -> f.service.verify(null, List.of(), null));
        assertFalse(bad.ok());
        assertEquals(123, bad.position());
        assertEquals(LogVerifier.Damage.EDITED.name(), bad.damage());
        LogVerifier.Result offline = ExportVerifier.verify(new StringReader(export(f)), keys, List.of());
        assertFalse(offline.ok());
        assertEquals(123, offline.position());
        assertEquals(LogVerifier.Damage.EDITED, offline.kind());
    }

    @Test
    @DisplayName("AUD-3: a tail cut from the database is caught by the checkpoint the sink kept")
    void aud3_truncationCaughtBySink() throws Exception {
        AuditFixture f = h2();
        record(f, T1, 40);
        LogCheckpoint kept = as(admin(T1), () -> f.service.checkpoint(null, null)).orElseThrow();
        try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM mamori_audit_entry WHERE idx >= 30");
            s.executeUpdate("DELETE FROM mamori_audit_checkpoint");
        }
        // the attacker rewrites the head consistently with the 30 entries left
        dev.mamori.audit.proof.MerkleFrontier head = dev.mamori.audit.proof.MerkleFrontier.empty();
        leaves(f, T1).forEach(head::append);
        try (Connection c = f.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE mamori_audit_log SET tree_size = 30, checkpoint_size = 0, peaks = ? WHERE log_id = ?")) {
            ps.setBytes(1, AuditStore.join(head.peaks()));
            ps.setString(2, T1);
            ps.executeUpdate();
        }
        AuditVerification v = as(admin(T1), () -> f.service.verify(null, List.of(kept.note()), null));
        assertFalse(v.ok());
        assertEquals(LogVerifier.Damage.TRUNCATED.name(), v.damage());
        assertEquals(30, v.position());
    }

    @Test
    @DisplayName("AUD-1: after 12 months entries are pruned in blocks of 256; the rest still proves against old checkpoints")
    void aud1_prune() throws Exception {
        AuditFixture f = h2();
        record(f, T1, 600);
        LogCheckpoint old = as(admin(T1), () -> f.service.checkpoint(null, null)).orElseThrow();
        f.clock.advance(Duration.ofDays(200));
        record(f, T1, 10);
        List<byte[]> before = leaves(f, T1);
        f.clock.advance(Duration.ofDays(170));
        assertEquals(512, f.prune.pruneAll(), "two whole blocks past 12 months; the third holds younger entries' block-mates");
        List<byte[]> after = leaves(f, T1);
        List<byte[]> all = new ArrayList<>(before);
        all.addAll(after.subList(before.size() - 512, after.size()));
        assertEquals("audit.log.pruned", as(admin(T1), () -> f.service.search(AuditQuery.all(null, 1000))).entries().get(all.size() - 513)
                .event().type(), "the pruning is recorded in the log it pruned");
        LogCheckpoint now = as(admin(T1), () -> f.service.checkpoint(null, null)).orElseThrow();
        long n = all.size();
        assertEquals(n, now.size());
        assertArrayEquals(MerkleTree.root(all), now.root());
        Proof c = as(admin(T1), () -> f.service.consistency(null, 300, n, null));
        assertTrue(MerkleTree.verifyConsistency(300, n, c.path(), MerkleTree.root(all.subList(0, 300)), now.root()));
        Proof c2 = as(admin(T1), () -> f.service.consistency(null, old.size(), n, null));
        assertTrue(MerkleTree.verifyConsistency(old.size(), n, c2.path(), old.root(), now.root()));
        Proof inc = as(admin(T1), () -> f.service.inclusion(null, 520, n, null));
        assertTrue(MerkleTree.verifyInclusion(520, n, all.get(520), inc.path(), now.root()));
        assertThrows(MamoriException.class, () -> as(admin(T1), () -> f.service.inclusion(null, 5, n, null)), "a pruned entry has no proof");
        AuditVerification v = as(admin(T1), () -> f.service.verify(null, List.of(), null));
        assertTrue(v.ok(), v.message());
        assertTrue(ExportVerifier.verify(new StringReader(export(f)), as(admin(T1), () -> f.service.verifierKeys(null, null)), List.of()).ok());
        assertEquals(0, as(admin(T1), () -> f.service.search(AuditQuery.all(null, 1000))).entries().stream().filter(e -> e.index() < 512).count());
    }

    @Test
    @DisplayName("AUD-3: concurrent standalone events share commits (group commit), each acknowledged only once durable, none lost")
    void aud3_groupCommit() throws Exception {
        AuditFixture f = h2();
        int threads = 16;
        int each = 100;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                start.await();
                record(f, T1, each);
                return null;
            }));
        }
        start.countDown();
        for (java.util.concurrent.Future<?> d : done) {
            d.get();
        }
        pool.shutdown();
        int commits = f.commits.get();
        assertTrue(commits < threads * each, "group commit: " + commits + " commits for " + threads * each + " events");
        assertEquals(0, f.recorder.groupCommit().kept(), "the connection goes back to the pool once nothing is queued");
        AuditVerification v = as(admin(T1), () -> f.service.verify(null, List.of(), null));
        assertTrue(v.ok(), v.message());
        assertEquals(threads * each, v.entries(), "every acknowledged event is in the log, once");
    }

    @Test
    @DisplayName("AUD-3: a group commit that fails fails every event in it; none is in the log, and the next ones are")
    void aud3_groupCommitFailsClosed() throws Exception {
        AuditFixture f = h2();
        try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE mamori_audit_pending RENAME TO mamori_audit_pending_gone");
        }
        MamoriException e = assertThrows(MamoriException.class, () -> record(f, T1, 1));
        assertEquals(AuditErrors.STORE_UNAVAILABLE, e.errorCode());
        try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE mamori_audit_pending_gone RENAME TO mamori_audit_pending");
        }
        record(f, T1, 2);
        assertEquals(2, as(admin(T1), () -> f.service.search(AuditQuery.all(null, 100))).entries().size());
    }

    @Test
    @DisplayName("AUD-3 on PostgreSQL: INSERT revoked from the application's role → actions fail, nothing committed; granted again → it recovers")
    void aud3_insertRevokedOnPostgres() throws Exception {
        TestDatabase db = TestDatabase.postgres("auditrevoke");
        String role = "mamori_app_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN");
        }
        try {
            org.postgresql.ds.PGSimpleDataSource app = new org.postgresql.ds.PGSimpleDataSource();
            app.setUrl(db.url());
            app.setUser(role);
            AuditFixture f = new AuditFixture(db, AuditFixture.config("mamori.test/audit", 1000, 5, 12), app);
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role);
                s.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " + role);
            }
            record(f, T1, 3);
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("REVOKE INSERT ON mamori_audit_pending FROM " + role);
            }
            MamoriException standalone = assertThrows(MamoriException.class, () -> record(f, T1, 1));
            assertEquals(AuditErrors.STORE_UNAVAILABLE, standalone.errorCode());
            assertThrows(MamoriException.class, () -> admin(T1).run(() -> UnitOfWork.get().run(() -> {
                f.events.publish(MamoriEvent.builder(DONE).detail("n", 7));
            })), "inside a unit of work too");
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("GRANT INSERT ON mamori_audit_pending TO " + role);
            }
            record(f, T1, 1);
            AuditVerification v = as(admin(T1), () -> f.service.verify(null, List.of(), null));
            assertTrue(v.ok(), v.message());
            assertEquals(4, v.entries(), "the three before, the one after; nothing of the refused ones");
        } finally {
            db.close();
            try (Connection c = java.sql.DriverManager.getConnection(dev.mamori.testsupport.Postgres.url("postgres"),
                    dev.mamori.testsupport.Postgres.USER, ""); Statement s = c.createStatement()) {
                s.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    @Test
    @DisplayName("AUD-3 (review): a raised checkpoint counter stops no checkpoint; a rewritten history is never signed over")
    void aud3_signingCannotBeSteeredFromTheDatabase() throws Exception {
        AuditFixture f = h2();
        record(f, T1, 20);
        LogCheckpoint first = as(admin(T1), () -> f.service.checkpoint(null, null)).orElseThrow();
        try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE mamori_audit_log SET checkpoint_size = 9000000000000000");
        }
        record(f, T1, 5);
        f.clock.advance(Duration.ofMinutes(1));
        assertEquals(25, as(admin(T1), () -> f.service.checkpoint(null, null)).orElseThrow().size(), "growth is judged from the checkpoints");
        // the attacker rewrites entry 3 with its leaf, the tiles and the head consistently, then waits for a signature
        List<byte[]> leaves = leaves(f, T1);
        byte[] forged = dev.mamori.audit.proof.CanonicalEntry.canonical(T1, 3, "{\"forged\":true}");
        leaves.set(3, MerkleTree.leafHash(forged));
        dev.mamori.audit.proof.MerkleFrontier head = dev.mamori.audit.proof.MerkleFrontier.empty();
        leaves.forEach(head::append);
        try (Connection c = f.dataSource().getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_audit_entry SET entry_bytes = ?, leaf_hash = ? WHERE log_id = ? AND idx = 3")) {
                ps.setBytes(1, forged);
                ps.setBytes(2, leaves.get(3));
                ps.setString(3, T1);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE mamori_audit_log SET peaks = ? WHERE log_id = ?")) {
                ps.setBytes(1, AuditStore.join(head.peaks()));
                ps.setString(2, T1);
                ps.executeUpdate();
            }
        }
        record(f, T1, 1);
        f.clock.advance(Duration.ofMinutes(1));
        assertEquals(25, as(admin(T1), () -> f.service.checkpoint(null, null)).orElseThrow().size(),
                "no checkpoint over a head that does not extend the last one");
        AuditVerification v = as(admin(T1), () -> f.service.verify(null, List.of(first.note()), null));
        assertFalse(v.ok());
        assertEquals(LogVerifier.Damage.EDITED.name(), v.damage(), v.message());
    }

    @Test
    @DisplayName("AUD-1 (review): pruning follows the signed checkpoint times, not the entries' time column")
    void aud1_pruneFollowsSignedTimes() throws Exception {
        AuditFixture f = h2();
        record(f, T1, 600);
        as(admin(T1), () -> f.service.checkpoint(null, null));
        try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE mamori_audit_entry SET occurred_at = 0");
        }
        assertEquals(0, f.prune.pruneAll(), "entries signed for less than 12 months are kept whatever their copied time says");
        f.clock.advance(Duration.ofDays(370));
        assertEquals(512, f.prune.pruneAll());
    }

    @Test
    @DisplayName("AUD-3 (review): a checkpoint that is not the log's is refused as invalid, not reported as damage to the log")
    void aud3_foreignCheckpointsAreInvalid() {
        AuditFixture f = h2();
        record(f, T1, 3);
        record(f, T2, 3);
        LogCheckpoint other = as(admin(T2), () -> f.service.checkpoint(null, null)).orElseThrow();
        for (String note : List.of("x\n0\n", other.note())) {
            MamoriException e = assertThrows(MamoriException.class, () -> as(admin(T1), () -> f.service.verify(null, List.of(note), null)));
            assertEquals(ErrorKind.INVALID, e.kind());
        }
    }

    @Test
    @DisplayName("AUD-3: a sink that failed is reported, gets each log's newest checkpoint again, and is clear once it kept them")
    void aud3_failedSinkCatchesUp() {
        AuditFixture f = h2();
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<String> kept = new java.util.concurrent.CopyOnWriteArrayList<>();
        f.engine.bindSink((log, cp) -> {
            if (down.get()) {
                throw new IllegalStateException("disk full");
            }
            kept.add(log + " " + cp.size());
        }, java.util.Map.of("audit.sink", "flaky", "service.id", 2L));
        record(f, T1, 4);
        as(admin(T1), () -> f.service.checkpoint(null, null));
        assertFalse(f.engine.checkpointer.failedSinks().isEmpty());
        assertFalse(new AuditHealth(f.engine).check().isUp(), "a failing sink makes the audit check fail");
        assertTrue(f.engine.resendToSinks() > 0, "while it fails, every log's newest checkpoint is sent again");
        down.set(false);
        f.engine.resendToSinks();
        assertEquals(List.of(T1 + " 4"), kept);
        assertTrue(f.engine.checkpointer.failedSinks().isEmpty());
        assertTrue(new AuditHealth(f.engine).check().isUp());
        assertEquals(0, f.engine.resendToSinks(), "nothing to send once every sink kept its checkpoints");
    }

    @Test
    @DisplayName("AUD-3: one integration pass finds every log with pending events (a skip scan of the queue's index)")
    void integrationFindsEveryLog() throws Exception {
        AuditFixture f = h2();
        String[] logs = {T1, T2, AuditService.PLATFORM_LOG};
        try (Connection c = f.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(AuditRecorder.INSERT)) {
            for (int i = 0; i < 9; i++) {
                ExecutionContext ctx = i % 3 == 2 ? operator() : admin(logs[i % 3]);
                MamoriEvent e = MamoriEvent.builder(DONE).detail("n", i).build(f.clock, ctx);
                AuditRecorder.bind(ps, logs[i % 3], dev.mamori.platform.event.EventEncoding.encode(e), 0, e.type(), null, "SUCCESS");
                ps.executeUpdate();
            }
        }
        assertEquals(Set.of(T1, T2, AuditService.PLATFORM_LOG), Set.copyOf(f.engine.store.read(AuditStore::pendingLogs)));
        assertEquals(3, f.engine.integrateAndCheckpoint(1));
        assertEquals(List.of(), f.engine.store.read(AuditStore::pendingLogs));
    }

    @Test
    @DisplayName("AUD-3: group commits queue one integration on the after-commit thread while one waits there, not one each")
    void groupCommitsQueueOneIntegration() throws Exception {
        AuditFixture f = h2();
        Runnable first = f.engine.committed();
        assertTrue(first != null);
        assertEquals(null, f.engine.committed(), "a commit after the queued work was queued is integrated by it");
        record(f, T1, 1); // the event's own commit: its integration is the queued one's
        first.run();
        assertEquals(1, as(admin(T1), () -> f.service.search(AuditQuery.all(null, 10))).entries().size());
        assertTrue(f.engine.committed() != null, "once the queued work began, the next commit queues again");
    }

    String export(AuditFixture f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        as(admin(T1), () -> f.service.export(null, null).writeTo(out));
        return out.toString(StandardCharsets.UTF_8);
    }
}
