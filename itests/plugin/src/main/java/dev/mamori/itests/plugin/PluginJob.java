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
import dev.mamori.platform.job.JobType;

/**
 * A plugin's typed job: three steps, each writing one note into the plugin's own (migrated)
 * table; a tenant's run then stores the notes as an artifact, encrypted under the tenant's key.
 */
@Component(service = JobHandler.class)
public class PluginJob implements JobHandler<PluginJob.Notes, Integer> {
    /**
     * What to write.
     *
     * @param label each note's label
     * @param steps how many notes
     */
    public record Notes(String label, int steps) {
    }

    /** The job type: its parameters and its cursor (the last note written). */
    public static final JobType<Notes, Integer> TYPE = JobType.of("it.plugin.notes", Notes.class, Integer.class);
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
    public JobType<Notes, Integer> type() {
        return TYPE;
    }

    @Override
    public JobStep<Integer> step(JobRun<Notes, Integer> run) {
        int at = run.cursor().orElse(0) + 1;
        // a step runs again if its checkpoint was lost: the note is written once
        String id = run.id().substring(0, 30) + "-" + at;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO it_plugin_note (id, note) SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM it_plugin_note WHERE id = ?)")) {
            ps.setString(1, id);
            ps.setString(2, "step " + at + " of " + run.parameters().label());
            ps.setString(3, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write a note", e);
        }
        int steps = run.parameters().steps();
        if (at < steps) {
            return JobStep.progress(at, 1).withTotal((long) steps);
        }
        if (run.tenantId().isPresent()) {
            StringBuilder text = new StringBuilder();
            for (int i = 1; i <= steps; i++) {
                text.append("step ").append(i).append(" of ").append(run.parameters().label()).append('\n');
            }
            run.writeArtifact("notes.txt", "text/plain", text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return JobStep.<Integer>finished(steps + " notes").withDone(1);
    }
}
