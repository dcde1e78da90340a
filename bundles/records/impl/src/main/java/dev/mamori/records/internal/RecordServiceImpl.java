package dev.mamori.records.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.Authorizer;
import dev.mamori.auth.Roles;
import dev.mamori.auth.UserService;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.records.Category;
import dev.mamori.records.CategoryCount;
import dev.mamori.records.Record;
import dev.mamori.records.RecordDraft;
import dev.mamori.records.RecordErrors;
import dev.mamori.records.RecordEvents;
import dev.mamori.records.RecordPage;
import dev.mamori.records.RecordQuery;
import dev.mamori.records.RecordService;
import dev.mamori.records.TrashItem;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;
import dev.mamori.vault.KeyPurpose;

/**
 * Records in the bound tenant (TEN-1): each call one unit of work with its audit events, reads
 * included (AUD-1); payloads checked against the category's schema, then encrypted by the vault
 * under the tenant's records key with associated data naming tenant, record and version (CRY-2), so
 * a blob copied to another row, tenant or version does not decrypt. What the caller may not read is
 * not found, exactly as what does not exist.
 */
@Component(service = {RecordService.class, RecordServiceImpl.class})
public class RecordServiceImpl implements RecordService {
    /** Rows a search looks at per record it returns, at most, before it answers a short page. */
    private static final int SCAN_FACTOR = 5;
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    private final RecordsCore core;
    private final Authorizer authorizer;
    private final UserService users;
    private final TenantService tenantService;

    /**
     * @param core          store, schemas, vault, events
     * @param authorizer    scoped permissions
     * @param users         the caller's own employee number
     * @param tenantService tenants by slug, for counts
     */
    @Activate
    public RecordServiceImpl(@Reference RecordsCore core, @Reference Authorizer authorizer, @Reference UserService users,
            @Reference TenantService tenantService) {
        this.core = core;
        this.authorizer = authorizer;
        this.users = users;
        this.tenantService = tenantService;
    }

    private Access access() {
        return Access.of(authorizer, users, core.tenants.requireTenantId());
    }

    @Override
    public Record create(RecordDraft draft) {
        Access a = access();
        if (draft == null) {
            throw Fields.invalid("Send category, subject and payload.");
        }
        String categoryName = Fields.category(draft.category(), RecordErrors.INVALID_RECORD);
        return core.units.call(() -> {
            Category k = core.categories.find(a.tenantId(), categoryName).orElseThrow(
                    () -> Fields.invalid("category: no category '" + categoryName + "' in this tenant."));
            return insert(a, check(a, k, draft));
        });
    }

    /** A draft checked against its category's schema and the caller's permission: ready to insert. */
    record Checked(Category category, String subject, String scope, Set<String> labels, String payload) {
    }

    /**
     * Checks a new record's fields, the caller's write permission for its scope and its payload, in
     * that order (nobody learns a schema's verdict without the permission); writes nothing.
     */
    Checked check(Access a, Category k, RecordDraft draft) {
        String subject = Fields.subject(draft.subject());
        String scope = Fields.scope(draft.scope());
        Set<String> labels = Fields.labels(draft.labels());
        a.requireWrite(k.name(), scope);
        return new Checked(k, subject, scope, labels, checkedPayload(a.tenantId(), k, draft.payload()));
    }

    /** Stores a checked record, version 1, with its event, in the caller's unit. */
    Record insert(Access a, Checked c) {
        String tenant = a.tenantId();
        Instant now = core.clock.instant();
        String id = UUID.randomUUID().toString();
        RecordStore.Row row = new RecordStore.Row(id, c.category().name(), c.subject(), c.scope(), encrypt(tenant, id, 1, c.payload()), 1,
                now, a.actorId(), now, a.actorId(), null, null, null, c.labels());
        core.store.insert(tenant, row);
        publish(RecordEvents.CREATED, row);
        return view(row, c.payload());
    }

    @Override
    public Optional<Record> find(String id) {
        Access a = access();
        if (!Fields.isId(id)) {
            return Optional.empty();
        }
        return core.units.call(() -> readable(a, id, false).map(row -> read(a.tenantId(), row)));
    }

    @Override
    public Optional<String> subjectName(String recordId) {
        Access a = access();
        return core.units.call(() -> readable(a, recordId, false)
                .flatMap(r -> users.findByEmployeeNumber(r.subject()))
                .flatMap(u -> users.profile(u.id()))
                .map(dev.mamori.auth.Profile::fullName));
    }

    @Override
    public Record update(String id, long expectedVersion, RecordDraft draft) {
        Access a = access();
        String tenant = a.tenantId();
        if (draft == null) {
            throw Fields.invalid("Send the record's payload, scope and labels.");
        }
        String scope = Fields.scope(draft.scope());
        var labels = Fields.labels(draft.labels());
        return core.units.call(() -> {
            RecordStore.Row old = readable(a, id, true).orElseThrow(() -> noRecord(id));
            if (draft.category() != null && !draft.category().equals(old.category())
                    || draft.subject() != null && !draft.subject().equals(old.subject())) {
                throw Fields.invalid("A record's category and subject do not change: delete it and create another.");
            }
            a.requireWrite(old.category(), old.scope());
            a.requireWrite(old.category(), scope);
            requireVersion(old, expectedVersion);
            Category k = core.categories.find(tenant, old.category()).orElseThrow(() -> noCategory(old.category()));
            String payload = checkedPayload(tenant, k, draft.payload());
            long version = old.version() + 1;
            Instant now = core.clock.instant();
            RecordStore.Row row = new RecordStore.Row(id, old.category(), old.subject(), scope, encrypt(tenant, id, version, payload),
                    version, old.createdAt(), old.createdBy(), now, a.actorId(), null, null, null, labels);
            if (!core.store.update(tenant, row, expectedVersion)) {
                throw changed(id);
            }
            publish(RecordEvents.UPDATED, row);
            return view(row, payload);
        });
    }

    @Override
    public TrashItem delete(String id, long expectedVersion) {
        Access a = access();
        String tenant = a.tenantId();
        return core.units.call(() -> {
            RecordStore.Row old = readable(a, id, true).orElseThrow(() -> noRecord(id));
            a.requireWrite(old.category(), old.scope());
            requireVersion(old, expectedVersion);
            Instant now = core.clock.instant();
            Instant purgeAfter = now.plus(core.trashPeriod());
            if (!core.store.trash(tenant, id, expectedVersion, now, a.actorId(), purgeAfter)) {
                throw changed(id);
            }
            publish(RecordEvents.TRASHED, old);
            return new TrashItem(id, old.category(), old.subject(), old.version(), now, a.actorId(), purgeAfter);
        });
    }

    @Override
    public RecordPage search(RecordQuery query) {
        Access a = access();
        RecordQuery q = query == null ? RecordQuery.all() : query;
        if (q.limit() < 1 || q.limit() > RecordQuery.MAX_LIMIT) {
            throw Fields.invalid("limit: 1-" + RecordQuery.MAX_LIMIT + ".");
        }
        String subject = q.subject() == null ? null : Fields.subject(q.subject());
        String category = q.category() == null ? null : Fields.category(q.category(), RecordErrors.INVALID_RECORD);
        String label = q.label() == null ? null : Fields.labels(java.util.Set.of(q.label())).iterator().next();
        RecordStore.Cursor after = Cursors.parse(q.after());
        for (Instant t : java.util.Arrays.asList(q.updatedFrom(), q.updatedUntil())) {
            if (t != null && (t.isBefore(EARLIEST) || t.isAfter(LATEST))) {
                throw Fields.invalid("from, to: a time between the years 1 and 9999.");
            }
        }
        return core.units.call(() -> {
            List<Record> out = new ArrayList<>();
            RecordStore.Cursor position = after;
            int budget = q.limit() * SCAN_FACTOR;
            boolean more = true;
            while (out.size() < q.limit() && budget > 0 && more) {
                int batch = Math.min(budget, q.limit() - out.size() + 1);
                List<RecordStore.Row> rows = core.store.search(a.tenantId(), subject, category, label, q.updatedFrom(), q.updatedUntil(),
                        position, batch);
                more = rows.size() == batch;
                budget -= rows.size();
                for (RecordStore.Row r : rows) {
                    if (out.size() == q.limit()) {
                        more = true;
                        break;
                    }
                    position = new RecordStore.Cursor(r.updatedAt().toEpochMilli(), r.id());
                    if (a.mayRead(r.category(), r.scope(), r.subject())) {
                        out.add(read(a.tenantId(), r));
                    }
                }
            }
            return new RecordPage(out, more && position != null ? Cursors.format(position) : null);
        });
    }

    @Override
    public List<CategoryCount> count(String tenantIdOrSlug) {
        ExecutionContext ctx = ExecutionContext.require();
        Principal p = ctx.requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SUPPORT, PrincipalKind.USER, PrincipalKind.SYSTEM);
        Tenant t = tenantService.find(tenantIdOrSlug).orElseThrow(
                () -> new MamoriException(RecordErrors.NO_SUCH_RECORD, "No tenant '" + printable(tenantIdOrSlug) + "'."));
        if (p.kind() == PrincipalKind.USER && !(p.hasRole(Roles.TENANT_ADMIN) && p.tenantId().map(t.id()::equals).orElse(false))) {
            throw new MamoriException(RecordErrors.FORBIDDEN, "Counts are for the tenant's admins, operators and support staff.");
        }
        return core.units.call(() -> {
            List<CategoryCount> counts = core.store.counts(t.id());
            core.events.publish(MamoriEvent.builder(RecordEvents.COUNTED).tenant(t.id()).target("tenant", t.id())
                    .detail("categories", Integer.toString(counts.size())));
            return counts;
        });
    }

    private Optional<RecordStore.Row> readable(Access a, String id, boolean lock) {
        return a.readable(core.store, id, lock);
    }

    /** Decrypts a row, recording the read first (a read that cannot be recorded does not happen). */
    private Record read(String tenant, RecordStore.Row row) {
        publish(RecordEvents.READ, row);
        byte[] plain = core.vault.decrypt(tenant, KeyPurpose.RECORDS, row.payload(), aad(tenant, row.id(), row.version()));
        return view(row, new String(plain, StandardCharsets.UTF_8));
    }

    private String checkedPayload(String tenant, Category k, String payload) {
        if (payload != null && Fields.utf8Length(payload) > core.settings().maxPayloadBytes()) {
            throw new MamoriException(RecordErrors.PAYLOAD_TOO_LARGE, "A payload is at most " + core.settings().maxPayloadBytes() / 1024
                    + " KiB (dev.mamori.records max.payload.kib).");
        }
        return core.schemas.validate(PayloadSchemas.key(tenant, k.name(), k.version()), k.schema(), payload);
    }

    private byte[] encrypt(String tenant, String id, long version, String payload) {
        return core.vault.encrypt(tenant, KeyPurpose.RECORDS, payload.getBytes(StandardCharsets.UTF_8), aad(tenant, id, version));
    }

    /** Binds a payload blob to its tenant, record and version (CRY-2). */
    static byte[] aad(String tenant, String id, long version) {
        return ("record\n" + tenant + "\n" + id + "\n" + version).getBytes(StandardCharsets.UTF_8);
    }

    private void publish(dev.mamori.platform.event.EventType type, RecordStore.Row row) {
        core.events.publish(MamoriEvent.builder(type).target("record", row.id()).detail("category", row.category())
                .detail("version", Long.toString(row.version())));
    }

    private static void requireVersion(RecordStore.Row row, long expected) {
        if (row.version() != expected) {
            throw changed(row.id());
        }
    }

    static Record view(RecordStore.Row r, String payload) {
        return new Record(r.id(), r.category(), r.subject(), payload, r.scope(), r.labels(), r.version(), r.createdAt(), r.createdBy(),
                r.updatedAt(), r.updatedBy());
    }

    static MamoriException noRecord(String id) {
        return new MamoriException(RecordErrors.NO_SUCH_RECORD, "No record '" + printable(id) + "'.");
    }

    static MamoriException noCategory(String name) {
        return new MamoriException(RecordErrors.NO_SUCH_CATEGORY, "No category '" + printable(name) + "' in this tenant.");
    }

    private static MamoriException changed(String id) {
        return new MamoriException(RecordErrors.VERSION_MISMATCH, "Record '" + id + "' changed since it was read: read it again.");
    }

    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return t.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
