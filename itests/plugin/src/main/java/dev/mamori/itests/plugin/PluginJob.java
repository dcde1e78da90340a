package dev.mamori.itests.plugin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.platform.db.SchemaReady;
import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobRun;
import dev.mamori.platform.job.JobStep;

/** A plugin's job: three steps, each writing one note into the plugin's own (migrated) table. */
@Component(service = JobHandler.class, property = JobHandler.TYPE + "=" + PluginJob.TYPE)
public class PluginJob implements JobHandler {
    /** The job type. */
    public static final String TYPE = "it.plugin.notes";
    private final DataSource dataSource;

    /**
     * @param dataSource the main database
     * @param schema     the plugin's schema, migrated
     */
    @Activate
    public PluginJob(@Reference(target = "(osgi.jndi.service.name=mamori)") DataSource dataSource,
            @Reference(target = "(" + SchemaReady.NAME + "=it-plugin)") SchemaReady schema) {
        this.dataSource = dataSource;
    }

    @Override
    public JobStep step(JobRun run) {
        int at = run.cursor().map(Integer::parseInt).orElse(0) + 1;
        // a step runs again if its checkpoint was lost: the note is written once
        String id = run.id().substring(0, 30) + "-" + at;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO it_plugin_note (id, note) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM it_plugin_note WHERE id = ?)")) {
            ps.setString(1, id);
            ps.setString(2, "step " + at + " of " + run.parameters());
            ps.setString(3, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write a note", e);
        }
        return at >= 3 ? JobStep.finished("three notes").withDone(1) : JobStep.progress(Integer.toString(at), 1).withTotal(3L);
    }
}
