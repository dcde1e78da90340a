package dev.mamori.auth.internal.shell;

import org.apache.karaf.shell.api.action.lifecycle.Reference;

import dev.mamori.auth.PlatformAccountService;
import dev.mamori.shell.spi.MamoriAction;

/** Base of the platform account commands. */
abstract class OperatorAction extends MamoriAction {
    @Reference
    PlatformAccountService accounts;
}
