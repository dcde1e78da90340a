package dev.mamori.itests.plugin;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.shell.spi.MamoriAction;

/** mamori:it-plugin-hello: a plugin's command, in the operator's execution context. */
@Service
@Command(scope = "mamori", name = "it-plugin-hello", description = "Says who runs it (test plugin).")
public class PluginHelloCommand extends MamoriAction {
    @Override
    protected void run() {
        ExecutionContext c = ExecutionContext.require();
        System.out.println("hello " + c.principal().map(p -> p.kind() + ":" + p.id()).orElse("anonymous") + " via " + c.channel());
    }
}
