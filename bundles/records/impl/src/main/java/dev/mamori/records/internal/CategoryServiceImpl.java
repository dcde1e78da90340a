package dev.mamori.records.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.Authorizer;
import dev.mamori.auth.UserService;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.records.Category;
import dev.mamori.records.CategoryDefinition;
import dev.mamori.records.CategoryService;
import dev.mamori.records.ErasurePolicy;
import dev.mamori.records.RecordErrors;
import dev.mamori.records.RecordEvents;

/**
 * A tenant's categories (TEN-7): defined by its admins, read by its accounts, never seen by another
 * tenant. A schema is checked (meta-schema, local references only) before it is stored; a change
 * applies to records written afterwards, and the version in the compiled-schema key makes every
 * node pick it up.
 */
@Component(service = CategoryService.class)
public class CategoryServiceImpl implements CategoryService {
    static final int MAX_RETENTION_DAYS = 36_500;
    private final RecordsCore core;
    private final Authorizer authorizer;
    private final UserService users;

    /**
     * @param core       store, schemas, events
     * @param authorizer scoped permissions
     * @param users      accounts
     */
    @Activate
    public CategoryServiceImpl(@Reference RecordsCore core, @Reference Authorizer authorizer, @Reference UserService users) {
        this.core = core;
        this.authorizer = authorizer;
        this.users = users;
    }

    @Override
    public Category define(CategoryDefinition d) {
        Access a = Access.of(authorizer, users, core.tenants.requireTenantId());
        a.requireAdmin("Defining a category");
        if (d == null) {
            throw invalid("Send name, title and schema.");
        }
        String name = Fields.category(d.name(), RecordErrors.INVALID_CATEGORY);
        if (d.title() == null || d.title().isBlank() || d.title().length() > 200 || d.title().chars().anyMatch(Character::isISOControl)) {
            throw invalid("title: 1-200 characters, no control characters.");
        }
        if (d.retentionDays() != null && (d.retentionDays() < 1 || d.retentionDays() > MAX_RETENTION_DAYS)) {
            throw invalid("retentionDays: 1-" + MAX_RETENTION_DAYS + ", or leave it out to keep records until deleted.");
        }
        String schema = core.schemas.check(d.schema());
        ErasurePolicy onErasure = d.onErasure() == null ? ErasurePolicy.DELETE : d.onErasure();
        String tenant = a.tenantId();
        return core.units.call(() -> {
            Instant now = core.clock.instant();
            Optional<Category> old = core.categories.find(tenant, name);
            Category k;
            if (old.isEmpty()) {
                k = new Category(name, d.title().strip(), schema, d.retentionDays(), onErasure, 1, now, now);
                core.categories.insert(tenant, k);
            } else {
                k = new Category(name, d.title().strip(), schema, d.retentionDays(), onErasure, old.get().version() + 1,
                        old.get().createdAt(), now);
                if (!core.categories.update(tenant, k, old.get().version())) {
                    throw new MamoriException(RecordErrors.VERSION_MISMATCH, "Category '" + name + "' changed meanwhile; try again.");
                }
            }
            core.events.publish(MamoriEvent.builder(RecordEvents.CATEGORY_DEFINED).target("record-category", name)
                    .detail("version", Long.toString(k.version())));
            core.schemas.forget(tenant, name);
            return k;
        });
    }

    @Override
    public Optional<Category> find(String name) {
        Access a = Access.of(authorizer, users, core.tenants.requireTenantId());
        if (name == null || !Fields.CATEGORY.matcher(name).matches()) {
            return Optional.empty();
        }
        return core.units.call(() -> core.categories.find(a.tenantId(), name));
    }

    @Override
    public List<Category> list() {
        Access a = Access.of(authorizer, users, core.tenants.requireTenantId());
        return core.units.call(() -> core.categories.list(a.tenantId()));
    }

    @Override
    public void remove(String name) {
        Access a = Access.of(authorizer, users, core.tenants.requireTenantId());
        a.requireAdmin("Removing a category");
        String tenant = a.tenantId();
        core.units.run(() -> {
            if (name == null || !Fields.CATEGORY.matcher(name).matches() || core.categories.find(tenant, name).isEmpty()) {
                throw RecordServiceImpl.noCategory(name);
            }
            long n = core.store.countInCategory(tenant, name);
            if (n > 0) {
                throw new MamoriException(RecordErrors.CATEGORY_IN_USE, "Category '" + name + "' still holds " + n
                        + " record(s), counting the trash; delete and purge them first.");
            }
            core.categories.delete(tenant, name);
            core.events.publish(MamoriEvent.builder(RecordEvents.CATEGORY_REMOVED).target("record-category", name));
            core.schemas.forget(tenant, name);
        });
    }

    private static MamoriException invalid(String message) {
        return new MamoriException(RecordErrors.INVALID_CATEGORY, message);
    }
}
