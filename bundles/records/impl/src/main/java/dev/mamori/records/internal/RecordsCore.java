package dev.mamori.records.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import dev.mamori.platform.db.SchemaReady;
import dev.mamori.platform.db.UnitDataSource;
import dev.mamori.platform.db.UnitOfWork;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantSetting;
import dev.mamori.tenant.TenantSettingsService;
import dev.mamori.vault.VaultService;

/**
 * What the records services share: the store (on the unit-of-work DataSource, once the schema is
 * migrated), the payload schemas, the vault, events, the clock and the configuration.
 */
@Component(service = RecordsCore.class, configurationPid = RecordsConfig.PID)
@Designate(ocd = RecordsConfig.class)
public class RecordsCore {
    /** The tenant setting that overrides the trash period (days, 1-365). */
    static final String TRASH_DAYS_SETTING = "records.trash.days";

    final RecordStore store;
    final CategoryStore categories;
    final AttachmentStore attachments;
    final ImportStore imports;
    final PayloadSchemas schemas = new PayloadSchemas();
    final VaultService vault;
    final TenantContext tenants;
    final TenantSettingsService settingsService;
    final EventPublisher events;
    final UnitOfWork units;
    final Clock clock;
    private volatile Settings settings;

    /**
     * @param unitStore the main store as units of work see it
     * @param schema    present once the records tables exist
     * @param vault     encrypts payloads
     * @param tenants   the bound tenant
     * @param tenantSettings the tenant's own trash period
     * @param events    audit events
     * @param units     the unit of work
     * @param clock     the platform clock
     * @param config    configuration
     */
    @Activate
    public RecordsCore(@Reference(target = "(osgi.jndi.service.name=" + UnitDataSource.MAIN_JNDI_NAME + ")") DataSource unitStore,
            @Reference(target = "(" + SchemaReady.NAME + "=records)") SchemaReady schema, @Reference VaultService vault,
            @Reference TenantContext tenants, @Reference TenantSettingsService tenantSettings, @Reference EventPublisher events,
            @Reference UnitOfWork units, @Reference Clock clock, RecordsConfig config) {
        this(new Jdbc(unitStore), vault, tenants, tenantSettings, events, units, clock, Settings.of(config));
    }

    RecordsCore(Jdbc jdbc, VaultService vault, TenantContext tenants, TenantSettingsService tenantSettings, EventPublisher events,
            UnitOfWork units, Clock clock, Settings settings) {
        this.store = new RecordStore(jdbc);
        this.categories = new CategoryStore(jdbc);
        this.attachments = new AttachmentStore(jdbc);
        this.imports = new ImportStore(jdbc);
        this.vault = vault;
        this.tenants = tenants;
        this.settingsService = tenantSettings;
        this.events = events;
        this.units = units;
        this.clock = clock;
        this.settings = settings;
    }

    @Modified
    void modified(RecordsConfig config) {
        settings = Settings.of(config);
    }

    Settings settings() {
        return settings;
    }

    /** @return the bound tenant's trash period: its setting if valid, else the configured one */
    Duration trashPeriod() {
        Optional<TenantSetting> own = settingsService.get(TRASH_DAYS_SETTING);
        if (own.isPresent()) {
            try {
                int days = Integer.parseInt(own.get().value().strip());
                if (days >= 1 && days <= 365) {
                    return Duration.ofDays(days);
                }
            } catch (NumberFormatException e) {
                // a malformed setting falls back to the configured period rather than never purging
            }
        }
        return settings.trashPeriod();
    }
}
