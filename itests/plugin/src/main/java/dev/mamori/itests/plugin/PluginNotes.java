package dev.mamori.itests.plugin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.db.SchemaReady;
import dev.mamori.platform.db.UnitOfWork;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.EventType;
import dev.mamori.platform.event.MamoriEvent;

/**
 * A plugin's action in a unit of work: a note written on the main store as units see it
 * ({@code mamori-tx}), and its event. The plugin's required listener vetoes the event when asked,
 * and then the note is not there either.
 */
@Component(service = PluginNotes.class)
public class PluginNotes {
    /** The event type of a note, declared once with its one detail (as a plugin declares its own types). */
    public static final EventType WRITTEN = EventType.of("it.plugin.note.written", "veto");
    private final UnitOfWork units;
    private final EventPublisher events;
    private final DataSource dataSource;

    /**
     * @param units      the platform's unit of work
     * @param events     where the note's event goes
     * @param dataSource the main store as units see it
     * @param schema     the plugin's schema, migrated
     */
    @Activate
    public PluginNotes(@Reference UnitOfWork units, @Reference EventPublisher events,
            @Reference(target = "(osgi.jndi.service.name=mamori-tx)") DataSource dataSource,
            @Reference(target = "(" + SchemaReady.NAME + "=it-plugin)") SchemaReady schema) {
        this.units = units;
        this.events = events;
        this.dataSource = dataSource;
    }

    /** @return the note's id, once note and event committed */
    public String write(String note, boolean veto) {
        String id = UUID.randomUUID().toString();
        units.run(() -> {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO it_plugin_note (id, note) VALUES (?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, note);
                ps.executeUpdate();
                // the unit's to commit: this is a no-op on its connection
                c.commit();
            } catch (SQLException e) {
                throw new IllegalStateException("could not write the note", e);
            }
            events.publish(MamoriEvent.builder(WRITTEN).target("note", id).detail("veto", veto ? "yes" : "no"));
        });
        return id;
    }
}
