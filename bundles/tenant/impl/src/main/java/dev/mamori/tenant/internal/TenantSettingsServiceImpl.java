package dev.mamori.tenant.internal;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import dev.mamori.tenant.InvalidTenantDataException;
import dev.mamori.tenant.SettingNotFoundException;
import dev.mamori.tenant.TenantContext;
import dev.mamori.platform.db.SchemaReady;
import dev.mamori.tenant.TenantSetting;
import dev.mamori.tenant.TenantSettingsService;
import dev.mamori.tenant.jpa.TenantTransactions;

/** Tenant settings through EclipseLink multitenancy: no query here names a tenant. */
@Component(service = TenantSettingsService.class)
public class TenantSettingsServiceImpl implements TenantSettingsService {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    private final TenantTransactions tx;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Clock clock;

    /**
     * @param emf     the tenant persistence unit
     * @param schema  present once the tenant schema is migrated
     * @param context the tenant context
     */
    @Activate
    public TenantSettingsServiceImpl(@Reference(target = "(osgi.unit.name=mamori-tenant)") EntityManagerFactory emf,
            @Reference(target = "(" + SchemaReady.NAME + "=tenant)") SchemaReady schema, @Reference TenantContext context) {
        this(emf, context);
    }

    TenantSettingsServiceImpl(EntityManagerFactory emf, TenantContext context) {
        this.tx = new TenantTransactions(emf, context);
    }

    @Override
    public TenantSetting put(String key, String value) {
        checkKey(key);
        checkValue(value);
        return tx.inTenant(em -> {
            TenantSettingEntity e = byKey(em, key).orElseGet(() -> {
                TenantSettingEntity n = new TenantSettingEntity();
                n.id = UUID.randomUUID().toString();
                n.key = key;
                em.persist(n);
                return n;
            });
            e.value = value;
            e.updatedAt = clock.instant();
            return e.toValue();
        });
    }

    @Override
    public Optional<TenantSetting> get(String key) {
        checkKey(key);
        return tx.inTenant(em -> byKey(em, key).map(TenantSettingEntity::toValue));
    }

    @Override
    public Optional<TenantSetting> getById(String id) {
        return tx.inTenant(em -> byId(em, id).map(TenantSettingEntity::toValue));
    }

    @Override
    public TenantSetting update(String id, String value) {
        checkValue(value);
        return tx.inTenant(em -> {
            TenantSettingEntity e = byId(em, id).orElseThrow(() -> notFound(id));
            e.value = value;
            e.updatedAt = clock.instant();
            return e.toValue();
        });
    }

    @Override
    public void delete(String id) {
        tx.inTenant(em -> {
            em.remove(byId(em, id).orElseThrow(() -> notFound(id)));
            return null;
        });
    }

    @Override
    public List<TenantSetting> list() {
        return tx.inTenant(em -> em.createQuery("SELECT s FROM TenantSetting s ORDER BY s.key", TenantSettingEntity.class)
                .getResultList().stream().map(TenantSettingEntity::toValue).collect(Collectors.toList()));
    }

    @Override
    public int deleteAll() {
        return tx.inTenant(em -> em.createQuery("DELETE FROM TenantSetting s").executeUpdate());
    }

    private static Optional<TenantSettingEntity> byKey(EntityManager em, String key) {
        return em.createQuery("SELECT s FROM TenantSetting s WHERE s.key = :key", TenantSettingEntity.class)
                .setParameter("key", key).getResultList().stream().findFirst();
    }

    private static Optional<TenantSettingEntity> byId(EntityManager em, String id) {
        if (id == null || id.length() > 36) {
            return Optional.empty();
        }
        // a query, not em.find: find() by primary key must not be the one path that skips the tenant filter
        return em.createQuery("SELECT s FROM TenantSetting s WHERE s.id = :id", TenantSettingEntity.class)
                .setParameter("id", id).getResultList().stream().findFirst();
    }

    private static SettingNotFoundException notFound(String id) {
        return new SettingNotFoundException("No setting '" + TenantServiceImpl.printable(id) + "' in this tenant.");
    }

    private static void checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidTenantDataException("Invalid setting key: 1-100 characters of letters, digits, '.', '-', '_'.");
        }
    }

    private static void checkValue(String value) {
        if (value == null || value.length() > 4000) {
            throw new InvalidTenantDataException("Invalid setting value: at most 4000 characters.");
        }
    }
}
