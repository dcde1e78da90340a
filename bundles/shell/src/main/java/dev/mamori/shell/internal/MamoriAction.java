package dev.mamori.shell.internal;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.support.CommandException;

import dev.mamori.tenant.TenantException;
import dev.mamori.vault.VaultException;

/**
 * Base of the mamori commands: a refused operation (unknown tenant, illegal transition, invalid
 * input, sealed vault) is the operator's one-line error, not a stack trace logged as a server fault.
 */
abstract class MamoriAction implements Action {

    @Override
    public final Object execute() throws Exception {
        try {
            run();
            return null;
        } catch (TenantException | VaultException e) {
            throw new CommandException(e.getMessage());
        } catch (IllegalArgumentException e) {
            // invalid option values (an unknown key purpose): the message says what is allowed
            throw new CommandException(e.getMessage());
        }
    }

    abstract void run() throws Exception;
}
