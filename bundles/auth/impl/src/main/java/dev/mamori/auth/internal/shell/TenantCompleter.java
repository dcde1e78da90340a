package dev.mamori.auth.internal.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;

/** Completes tenant slugs for the account commands. */
@Service
public class TenantCompleter implements Completer {
    @Reference
    TenantService tenants;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        for (Tenant t : tenants.list()) {
            delegate.getStrings().add(t.slug());
        }
        return delegate.complete(session, commandLine, candidates);
    }
}
