package dev.mamori.records.internal;

import static dev.mamori.records.internal.RecordsFixture.as;
import static dev.mamori.records.internal.RecordsFixture.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.records.Attachment;
import dev.mamori.records.AttachmentContent;
import dev.mamori.records.Record;
import dev.mamori.records.RecordErrors;
import dev.mamori.records.RecordEvents;
import dev.mamori.vault.DecryptionFailedException;
import dev.mamori.vault.KeyPurpose;

/** Attachments on H2 and PostgreSQL: encrypted chunks, type and size checks, permissions of their record, the trash, re-encryption. */
class AttachmentTest {
    static Stream<RecordsFixture> dbs() {
        return RecordServiceTest.dbs();
    }

    static byte[] pdf(String marker, int size) {
        byte[] b = new byte[size];
        byte[] head = ("%PDF-1.7\n" + marker + "\n").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, b, 0, head.length);
        for (int i = head.length; i < size; i++) {
            b[i] = (byte) (i * 31);
        }
        return b;
    }

    static byte[] read(AttachmentContent c) {
        try (c) {
            return c.stream().readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("CRY-2, SEC-3: a file streams into encrypted chunks, reads back equal, its name and content nowhere in clear")
    void roundTrip(RecordsFixture fx) {
        try {
            RecordServiceTest.Tenant t = new RecordServiceTest.Tenant(fx);
            Record r = t.create(fx, "E-1", "{\"height\": 150}");
            String marker = "ATTACHMENT-MARKER-" + java.util.UUID.randomUUID();
            byte[] content = pdf(marker, 700 * 1024);
            Attachment a = as(t.nurse, t.id, () -> fx.attachments.add(r.id(), "C:\\Users\\yamada\\健診結果 " + marker + ".pdf",
                    "application/pdf; charset=binary", new ByteArrayInputStream(content)));
            assertEquals("健診結果 " + marker + ".pdf", a.name(), "the path is cut off, never used");
            assertEquals(content.length, a.size());
            assertEquals("application/pdf", a.mediaType());
            assertEquals(HexFormat.of().formatHex(sha256(content)), a.sha256());
            assertArrayEquals(content, read(as(t.nurse, t.id, () -> fx.attachments.open(r.id(), a.id())).orElseThrow()));
            assertEquals(List.of(a), as(t.nurse, t.id, () -> fx.attachments.list(r.id())));
            assertTrue(fx.raw("SELECT COUNT(*) AS n FROM mamori_record_attachment_chunk WHERE attachment_id = ?", a.id()).get(0)
                    .get("n").toString().compareTo("1") >= 0);
            for (var row : fx.raw("SELECT data FROM mamori_record_attachment_chunk WHERE attachment_id = ?", a.id())) {
                assertFalse(new String((byte[]) row.get("data"), StandardCharsets.ISO_8859_1).contains(marker));
            }
            byte[] meta = (byte[]) fx.raw("SELECT meta FROM mamori_record_attachment WHERE id = ?", a.id()).get(0).get("meta");
            assertFalse(new String(meta, StandardCharsets.ISO_8859_1).contains(marker), "the name is encrypted");
            assertTrue(fx.events.of(RecordEvents.ATTACHMENT_READ).stream().anyMatch(e -> e.targetId().orElse("").equals(a.id())));
            // chunks moved to another attachment do not decrypt there
            Attachment b = as(t.nurse, t.id, () -> fx.attachments.add(r.id(), "b.txt", "text/plain", new ByteArrayInputStream(
                    "hello".getBytes(StandardCharsets.UTF_8))));
            fx.rawUpdate("UPDATE mamori_record_attachment_chunk SET data = (SELECT data FROM mamori_record_attachment_chunk WHERE "
                    + "attachment_id = ? AND seq = 0) WHERE attachment_id = ?", a.id(), b.id());
            assertThrows(DecryptionFailedException.class, () -> read(as(t.nurse, t.id, () -> fx.attachments.open(r.id(), b.id()))
                    .orElseThrow()));
        } finally {
            close(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("SEC-3: a type not allowed, content that is not its declared type, a file past the limit - refused, nothing kept")
    void checks(RecordsFixture fx) {
        try {
            RecordServiceTest.Tenant t = new RecordServiceTest.Tenant(fx);
            Record r = t.create(fx, "E-1", "{\"height\": 150}");
            MamoriException e = assertThrows(MamoriException.class, () -> add(fx, t, r, "x.html", "text/html", "<script>".getBytes()));
            assertEquals(RecordErrors.INVALID_ATTACHMENT, e.errorCode());
            e = assertThrows(MamoriException.class, () -> add(fx, t, r, "x.pdf", "application/pdf", "MZ\u0090 not a pdf".getBytes()));
            assertEquals(RecordErrors.INVALID_ATTACHMENT, e.errorCode());
            e = assertThrows(MamoriException.class, () -> add(fx, t, r, "x.txt", "text/plain", "%PDF-1.4 binary".getBytes()));
            assertEquals(RecordErrors.INVALID_ATTACHMENT, e.errorCode());
            e = assertThrows(MamoriException.class, () -> add(fx, t, r, "x.txt", "text/plain", new byte[] {'a', 0, 'b'}));
            assertEquals(RecordErrors.INVALID_ATTACHMENT, e.errorCode());
            e = assertThrows(MamoriException.class, () -> add(fx, t, r, "big.pdf", "application/pdf", pdf("x", 1024 * 1024 + 1)));
            assertEquals(ErrorKind.PAYLOAD_TOO_LARGE, e.kind());
            e = assertThrows(MamoriException.class, () -> add(fx, t, r, "../..", "text/plain", "a".getBytes()));
            assertEquals(RecordErrors.INVALID_ATTACHMENT, e.errorCode());
            assertEquals(0, fx.raw("SELECT id FROM mamori_record_attachment WHERE record_id = ?", r.id()).size());
            assertEquals(0, fx.raw("SELECT c.seq FROM mamori_record_attachment_chunk c JOIN mamori_record_attachment a "
                    + "ON a.tenant_id = c.tenant_id AND a.id = c.attachment_id WHERE a.record_id = ?", r.id()).size());
            add(fx, t, r, "exactly.pdf", "application/pdf", pdf("x", 1024 * 1024));
        } finally {
            close(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("IAM-2, TEN-1: attachments follow their record - readers read, writers add and remove, others and other tenants find nothing; "
            + "the trash hides them, the purge deletes them")
    void accessAndTrash(RecordsFixture fx) {
        try {
            RecordServiceTest.Tenant t = new RecordServiceTest.Tenant(fx);
            Record r = t.create(fx, "E-1", "{\"height\": 150}");
            Attachment a = add(fx, t, r, "a.csv", "text/csv", "height\n150\n".getBytes(StandardCharsets.UTF_8));
            var subject = fx.account(t.id, "E-1", "employee");
            assertTrue(as(subject, t.id, () -> fx.attachments.open(r.id(), a.id())).isPresent(), "the subject reads");
            assertEquals(RecordErrors.FORBIDDEN, assertThrows(MamoriException.class, () -> as(subject, t.id,
                    () -> fx.attachments.add(r.id(), "b.txt", "text/plain", new ByteArrayInputStream("b".getBytes())))).errorCode());
            RecordServiceTest.Tenant other = new RecordServiceTest.Tenant(fx);
            fx.grants.grant(other.nurse, "records:*");
            assertTrue(as(other.nurse, other.id, () -> fx.attachments.open(r.id(), a.id())).isEmpty());
            assertEquals(RecordErrors.NO_SUCH_RECORD, assertThrows(MamoriException.class,
                    () -> as(other.nurse, other.id, () -> fx.attachments.list(r.id()))).errorCode());
            assertEquals(RecordErrors.NO_SUCH_RECORD, assertThrows(MamoriException.class,
                    () -> run(other.nurse, other.id, () -> fx.attachments.remove(r.id(), a.id()))).errorCode());
            assertTrue(as(t.nurse, t.id, () -> fx.attachments.open(r.id(), java.util.UUID.randomUUID().toString())).isEmpty());
            as(t.nurse, t.id, () -> fx.records.delete(r.id(), 1));
            assertTrue(as(t.nurse, t.id, () -> fx.attachments.open(r.id(), a.id())).isEmpty(), "in the trash with its record");
            as(t.nurse, t.id, () -> fx.trash.restore(r.id()));
            assertTrue(as(t.nurse, t.id, () -> fx.attachments.open(r.id(), a.id())).isPresent());
            run(t.nurse, t.id, () -> fx.attachments.remove(r.id(), a.id()));
            assertEquals(List.of(), as(t.nurse, t.id, () -> fx.attachments.list(r.id())));
            Attachment b = add(fx, t, r, "b.csv", "text/csv", "x\n".getBytes(StandardCharsets.UTF_8));
            as(t.nurse, t.id, () -> fx.records.delete(r.id(), 1));
            as(t.admin, t.id, () -> fx.trash.purgeAll());
            assertEquals(0, fx.raw("SELECT id FROM mamori_record_attachment WHERE id = ?", b.id()).size());
            assertEquals(0, fx.raw("SELECT seq FROM mamori_record_attachment_chunk WHERE attachment_id = ?", b.id()).size());
        } finally {
            close(fx);
        }
    }

    @ParameterizedTest
    @MethodSource("dbs")
    @DisplayName("CRY-2: a rotation's re-encryption writes each attachment as a new generation and drops the old; it still reads")
    void reEncryption(RecordsFixture fx) {
        try {
            RecordServiceTest.Tenant t = new RecordServiceTest.Tenant(fx);
            Record r = t.create(fx, "E-1", "{\"height\": 150}");
            byte[] content = pdf("re", 600 * 1024);
            Attachment a = add(fx, t, r, "a.pdf", "application/pdf", content);
            AttachmentReEncryption participant = new AttachmentReEncryption(fx.core);
            dev.mamori.vault.spi.ReEncryptor re = new dev.mamori.vault.spi.ReEncryptor() {
                @Override
                public boolean isCurrent(byte[] blob) {
                    return false;
                }

                @Override
                public byte[] reEncrypt(byte[] blob, byte[] ad) {
                    return fx.vault.encrypt(t.id, KeyPurpose.ATTACHMENTS, fx.vault.decrypt(t.id, KeyPurpose.ATTACHMENTS, blob, ad), ad);
                }

                @Override
                public void reEncrypt(java.io.InputStream source, java.io.OutputStream sink, byte[] ad) throws IOException {
                    try (var out = fx.vault.encryptingStream(t.id, KeyPurpose.ATTACHMENTS, sink, ad)) {
                        fx.vault.decryptingStream(t.id, KeyPurpose.ATTACHMENTS, source, ad).transferTo(out);
                    }
                }
            };
            var batch = as(dev.mamori.platform.context.Principal.system("vault"), t.id,
                    () -> participant.reEncrypt(t.id, KeyPurpose.ATTACHMENTS, null, 10, re));
            assertEquals(1, batch.reEncrypted());
            assertEquals(Set.of(1), Set.copyOf(fx.raw("SELECT DISTINCT gen FROM mamori_record_attachment_chunk WHERE attachment_id = ?",
                    a.id()).stream().map(m -> ((Number) m.get("gen")).intValue()).toList()));
            assertArrayEquals(content, read(as(t.nurse, t.id, () -> fx.attachments.open(r.id(), a.id())).orElseThrow()));
            assertEquals(a, as(t.nurse, t.id, () -> fx.attachments.list(r.id())).get(0));
        } finally {
            close(fx);
        }
    }

    private static Attachment add(RecordsFixture fx, RecordServiceTest.Tenant t, Record r, String name, String type, byte[] content) {
        return as(t.nurse, t.id, () -> fx.attachments.add(r.id(), name, type, new ByteArrayInputStream(content)));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void close(RecordsFixture fx) {
        if (fx.db.isPostgres()) {
            fx.close();
        }
    }
}
