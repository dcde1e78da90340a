package dev.mamori.tenant;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A tenant's own configuration (TEN-7). Every method acts on the tenant bound by
 * {@link TenantContext} and throws {@link NoTenantContextException} without one; another
 * tenant's entries are never found, changed or removed.
 */
@ProviderType
public interface TenantSettingsService {

    /**
     * Creates or replaces a setting.
     *
     * @param key   1–100 characters of letters, digits, '.', '-', '_'
     * @param value up to 4000 characters
     * @return the stored setting
     */
    TenantSetting put(String key, String value);

    /** @param key name @return the setting, if the current tenant has it */
    Optional<TenantSetting> get(String key);

    /** @param id opaque id @return the setting, if it belongs to the current tenant */
    Optional<TenantSetting> getById(String id);

    /**
     * @param id    opaque id
     * @param value new value
     * @return the updated setting
     * @throws SettingNotFoundException if the current tenant has no such setting
     */
    TenantSetting update(String id, String value);

    /**
     * @param id opaque id
     * @throws SettingNotFoundException if the current tenant has no such setting
     */
    void delete(String id);

    /** @return the current tenant's settings, ordered by key */
    List<TenantSetting> list();

    /** @return how many settings the current tenant had, all now removed (one JPQL bulk delete) */
    int deleteAll();
}
