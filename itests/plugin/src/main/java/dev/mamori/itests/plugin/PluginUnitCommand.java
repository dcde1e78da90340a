package dev.mamori.itests.plugin;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.shell.spi.MamoriAction;

/** mamori:it-plugin-unit: {@link PluginNotes#write} from the shell. */
@Service
@Command(scope = "mamori", name = "it-plugin-unit", description = "Writes a note and its event in one unit of work (test plugin).")
public class PluginUnitCommand extends MamoriAction {
    @Reference
    PluginNotes notes;

    @Option(name = "--veto", description = "Makes the plugin's required listener refuse the event.")
    boolean veto;
    @Argument(index = 0, name = "note", required = true, description = "The note.")
    String note;

    @Override
    protected void run() {
        System.out.println("note " + notes.write(note, veto) + " written");
    }
}
