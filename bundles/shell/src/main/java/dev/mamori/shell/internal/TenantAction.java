package dev.mamori.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.support.CommandException;

import dev.mamori.tenant.TenantException;

/**
 * Base of the tenant commands: a refused operation (unknown tenant, illegal transition, invalid
 * input) is the operator's one-line error, not a stack trace logged as a server fault.
 */
abstract class TenantAction implements Action {

    @Override
    public final Object execute() throws Exception {
        try {
            run();
            return null;
        } catch (TenantException e) {
            throw new CommandException(e.getMessage());
        }
    }

    abstract void run() throws Exception;
}
