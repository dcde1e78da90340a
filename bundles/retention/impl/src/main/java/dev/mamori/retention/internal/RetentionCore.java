package dev.mamori.retention.internal;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.db.SchemaReady;
import dev.mamori.platform.db.Sql;
import dev.mamori.platform.db.UnitDataSource;
import dev.mamori.platform.db.UnitOfWork;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.retention.RetentionErrors;

/** What the retention services share: the hold store (once its schema exists), events, the unit of work, the clock, the settings. */
@Component(service = RetentionCore.class, configurationPid = RetentionConfig.PID)
@Designate(ocd = RetentionConfig.class)
public class RetentionCore {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionCore.class);
    final HoldStore holds;
    final EventPublisher events;
    final UnitOfWork units;
    final Clock clock;
    private volatile int trialDeleteDays;

    /**
     * @param unitStore the main store as units of work see it
     * @param schema    present once the retention tables exist
     * @param events    audit events
     * @param units     the unit of work
     * @param clock     the platform clock
     * @param config    configuration
     */
    @Activate
    public RetentionCore(@Reference(target = "(osgi.jndi.service.name=" + UnitDataSource.MAIN_JNDI_NAME + ")") DataSource unitStore,
            @Reference(target = "(" + SchemaReady.NAME + "=retention)") SchemaReady schema, @Reference EventPublisher events,
            @Reference UnitOfWork units, @Reference Clock clock, RetentionConfig config) {
        this(unitStore, events, units, clock, config.trial_delete_days());
    }

    RetentionCore(DataSource unitStore, EventPublisher events, UnitOfWork units, Clock clock, int trialDeleteDays) {
        this.holds = new HoldStore(new Sql(unitStore, (what, e) -> {
            LOG.warn("Retention: {} failed: {}", what, e.toString());
            return new MamoriException(RetentionErrors.UNAVAILABLE, "The retention store cannot be reached; try again shortly.", e,
                    Duration.ofSeconds(5));
        }));
        this.events = events;
        this.units = units;
        this.clock = clock;
        this.trialDeleteDays = check(trialDeleteDays);
    }

    @Modified
    void modified(RetentionConfig config) {
        trialDeleteDays = check(config.trial_delete_days());
    }

    private static int check(int days) {
        // the promise is "within 90 days" (TEN-3): a longer setting is refused, not stretched
        if (days < 1 || days > 90) {
            throw new IllegalArgumentException(RetentionConfig.PID + " trial.delete.days: 1-90, not " + days);
        }
        return days;
    }

    int trialDeleteDays() {
        return trialDeleteDays;
    }
}
