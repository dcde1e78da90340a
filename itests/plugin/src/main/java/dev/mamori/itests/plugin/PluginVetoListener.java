package dev.mamori.itests.plugin;

import org.osgi.service.component.annotations.Component;

import dev.mamori.platform.error.ErrorCode;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.platform.event.MamoriEventListener;

/** A plugin's required listener of its own events: it refuses a note's event when the note asks for it. */
@Component(property = {MamoriEventListener.NAME + "=it-plugin-veto", MamoriEventListener.REQUIRED + "=true",
    MamoriEventListener.TYPES + "=it.plugin."})
public class PluginVetoListener implements MamoriEventListener {
    static final ErrorCode VETOED = ErrorCode.of("it-plugin-vetoed", ErrorKind.CONFLICT, "Vetoed by the test plugin");

    @Override
    public void onEvent(MamoriEvent event) {
        if ("yes".equals(event.details().get("veto"))) {
            throw new MamoriException(VETOED, "The test plugin's listener refused this note.");
        }
    }
}
