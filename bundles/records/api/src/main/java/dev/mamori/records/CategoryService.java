package dev.mamori.records;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A tenant's record categories (TEN-7): defined and changed by its admins, listed for its users;
 * another tenant's category is never found. Runs in the bound tenant's context.
 */
@ProviderType
public interface CategoryService {
    /**
     * Creates a category, or changes one (its schema applies to records written from then on).
     *
     * @param definition the category
     * @return it, as stored
     * @throws dev.mamori.platform.error.MamoriException {@link RecordErrors#INVALID_CATEGORY} (400) naming
     *         what is wrong, FORBIDDEN for anyone but the tenant's admins
     */
    Category define(CategoryDefinition definition);

    /** @return the category of that name, for any user of the tenant */
    Optional<Category> find(String name);

    /** @return the tenant's categories by name */
    List<Category> list();

    /**
     * Removes a category that holds no record, live or in the trash.
     *
     * @param name the category
     * @throws dev.mamori.platform.error.MamoriException {@link RecordErrors#CATEGORY_IN_USE} (409) while it holds records
     */
    void remove(String name);
}
