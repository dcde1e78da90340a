package dev.mamori.audit.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.audit.AuditService;
import dev.mamori.platform.db.SchemaReady;
import dev.mamori.platform.db.UnitDataSource;
import dev.mamori.platform.db.UnitOfWork;
import dev.mamori.platform.event.EventEncoding;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.event.MamoriEventListener;
import dev.mamori.platform.event.StandaloneRecorder;

/**
 * Records every event (AUD-1..3), as the required listener {@code audit}: its canonical form is
 * written in the action's unit of work, so the entry commits with the action or the action fails
 * (a store that cannot be written makes the publisher refuse the action with a 503). Once the unit
 * committed, the engine moves it into its log's tree (tenant's log, or the platform's for events
 * of no tenant). An event published outside any unit of work is written by group commit, in one
 * transaction with those of concurrent publishers, and acknowledged once durable.
 */
@Component(service = MamoriEventListener.class, property = {MamoriEventListener.NAME + "=audit", MamoriEventListener.REQUIRED + "=true"})
public class AuditRecorder implements MamoriEventListener, StandaloneRecorder {
    static final String INSERT = "INSERT INTO mamori_audit_pending (log_id, event_bytes, occurred_at, action, actor_id, outcome) "
            + "VALUES (?, ?, ?, ?, ?, ?)";
    private final DataSource unitStore;
    private final UnitOfWork units;
    private final AuditEngine engine;
    private final GroupCommit group;

    /**
     * @param unitStore the main store as units see it (the action's own connection)
     * @param store     the main store's pool (the group commit's own transactions)
     * @param schema    present once the audit tables exist
     * @param units     the platform's unit of work
     * @param engine    integrates after the commit
     */
    @Activate
    public AuditRecorder(@Reference(target = "(osgi.jndi.service.name=" + UnitDataSource.MAIN_JNDI_NAME + ")") DataSource unitStore,
            @Reference(target = "(osgi.jndi.service.name=mamori)") DataSource store,
            @Reference(target = "(" + SchemaReady.NAME + "=audit)") SchemaReady schema, @Reference UnitOfWork units,
            @Reference AuditEngine engine) {
        this.unitStore = unitStore;
        this.units = units;
        this.engine = engine;
        this.group = new GroupCommit(store, units, engine::committed);
    }

    @Override
    public void onEvent(MamoriEvent event) {
        String log = log(event);
        byte[] bytes = EventEncoding.encode(event);
        try (Connection c = unitStore.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(ps, log, bytes, event.time().toInstant().toEpochMilli(), event.type(), event.principalId().orElse(null),
                    event.outcome().name());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw AuditStore.unavailable(e);
        }
        units.afterCommit(engine::recorded);
    }

    /** An event of no unit of work: written in a commit shared with concurrent publishers, durable when this returns. */
    @Override
    public void recordStandalone(MamoriEvent event) {
        group.append(new GroupCommit.Row(log(event), EventEncoding.encode(event), event.time().toInstant().toEpochMilli(), event.type(),
                event.principalId().orElse(null), event.outcome().name()));
    }

    /** @return the group commit of standalone events (its counters, for the benchmark) */
    GroupCommit groupCommit() {
        return group;
    }

    private static String log(MamoriEvent event) {
        String log = event.tenantId().orElse(AuditService.PLATFORM_LOG);
        if (!Entries.LOG_ID.matcher(log).matches()) {
            throw new IllegalArgumentException("An event's tenant is not a log id: refused rather than recorded elsewhere");
        }
        return log;
    }

    static void bind(PreparedStatement ps, String log, byte[] event, long at, String action, String actor, String outcome)
            throws SQLException {
        ps.setString(1, log);
        ps.setBytes(2, event);
        ps.setLong(3, at);
        ps.setString(4, action);
        ps.setString(5, actor);
        ps.setString(6, outcome);
    }
}
