package dev.mamori.shell.spi;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/**
 * Completes tenant slugs for the {@code --tenant} options and tenant arguments of every {@code mamori:*}
 * command: {@code @Completion(TenantCompleter.class)}. The slugs come from the {@link CompletionSource}
 * of kind {@value CompletionSource#TENANT}, which the tenant capability registers, so that this package
 * imports no capability; without one (the tenant bundle stopped or being updated) there is nothing to
 * complete, and the command itself still runs.
 */
@Service
public class TenantCompleter implements Completer {
    @Reference(filter = "(" + CompletionSource.KIND + "=" + CompletionSource.TENANT + ")", optional = true)
    CompletionSource tenants;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        CompletionSource source = tenants;
        if (source != null) {
            try {
                delegate.getStrings().addAll(source.values());
            } catch (RuntimeException e) {
                // completion is a convenience: a failing source offers nothing, it never breaks the line being typed
            }
        }
        return delegate.complete(session, commandLine, candidates);
    }
}
