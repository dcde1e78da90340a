package dev.mamori.notification.internal;

import java.time.Clock;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.db.SchemaReady;
import dev.mamori.platform.db.UnitDataSource;
import dev.mamori.platform.db.UnitOfWork;
import dev.mamori.platform.event.EventPublisher;

/**
 * What the notification services share: the stores (on the unit-of-work DataSource, once the schema
 * is migrated), the templates, events, the unit of work, the clock and the configuration.
 */
@Component(service = NotificationCore.class, configurationPid = NotificationConfig.PID)
@Designate(ocd = NotificationConfig.class)
public class NotificationCore {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationCore.class);
    final Outbox outbox;
    final NoticeStore notices;
    final IncidentStore incidents;
    final AnnouncementStore announcements;
    final AvailabilityStore availability;
    final Templates templates = new Templates();
    final EventPublisher events;
    final UnitOfWork units;
    final Clock clock;
    private volatile Settings settings;

    /**
     * @param unitStore the main store as units of work see it
     * @param schema    present once the notification tables exist
     * @param events    audit events
     * @param units     the unit of work
     * @param clock     the platform clock
     * @param config    configuration
     */
    @Activate
    public NotificationCore(@Reference(target = "(osgi.jndi.service.name=" + UnitDataSource.MAIN_JNDI_NAME + ")") DataSource unitStore,
            @Reference(target = "(" + SchemaReady.NAME + "=notification)") SchemaReady schema, @Reference EventPublisher events,
            @Reference UnitOfWork units, @Reference Clock clock, NotificationConfig config) {
        this(new Jdbc(unitStore), events, units, clock, Settings.of(config));
    }

    NotificationCore(Jdbc jdbc, EventPublisher events, UnitOfWork units, Clock clock, Settings settings) {
        this.outbox = new Outbox(jdbc);
        this.notices = new NoticeStore(jdbc);
        this.incidents = new IncidentStore(jdbc);
        this.announcements = new AnnouncementStore(jdbc);
        this.availability = new AvailabilityStore(jdbc);
        this.events = events;
        this.units = units;
        this.clock = clock;
        this.settings = settings;
        warn(settings);
    }

    @Modified
    void modified(NotificationConfig config) {
        settings = Settings.of(config);
        warn(settings);
    }

    Settings settings() {
        return settings;
    }

    private static void warn(Settings s) {
        if (s.operatorEmails().isEmpty()) {
            LOG.warn("No operator e-mail address is configured (dev.mamori.notification operator.emails): incident clock alerts reach "
                    + "nobody.");
        }
    }
}
