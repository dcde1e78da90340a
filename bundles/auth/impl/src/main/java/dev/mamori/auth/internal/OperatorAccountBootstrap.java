package dev.mamori.auth.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.auth.PlatformAccountService;
import dev.mamori.auth.Roles;
import dev.mamori.platform.config.Placeholders;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.event.EventsReady;

/**
 * No default credentials (OPS-6): when there is no platform account yet, creates the first operator
 * without a password and hands its single-use reset token over in an owner-only file. The operator
 * sets a password with it ({@code POST /api/v1/auth/password-reset} without a tenant) and enrols TOTP
 * at the first sign-in; nobody else ever learns the password.
 */
@Component(immediate = true, configurationPid = AuthConfig.PID)
public class OperatorAccountBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorAccountBootstrap.class);

    /**
     * @param accounts platform accounts
     * @param config   the account name and the handover file
     * @param ready    present once the account's creation can be recorded (the audit log is up)
     */
    @Activate
    public OperatorAccountBootstrap(@Reference PlatformAccountService accounts, AuthConfig config, @Reference EventsReady ready) {
        String login = config.bootstrap_operator();
        if (login == null || login.isBlank()) {
            return;
        }
        ExecutionContext.system("auth-bootstrap").run(() -> {
            if (!accounts.list().isEmpty()) {
                return;
            }
            Path file = Paths.get(Placeholders.expand(config.bootstrap_token_file()));
            String token = accounts.create(login, Roles.OPERATOR);
            write(file, token);
            LOG.warn("Created the platform operator account '{}'. Its single-use reset token is in {} (owner-only): set a "
                    + "password with POST /api/v1/auth/password-reset (no tenant), enrol TOTP at the first sign-in, then delete "
                    + "that file.", login, file);
        });
    }

    static void write(Path file, String token) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, (token + "\n").getBytes(StandardCharsets.US_ASCII), StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand over the first operator's reset token in " + file, e);
        }
    }
}
