package dev.mamori.audit.internal.shell;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** mamori:audit-export */
@Service
@Command(scope = "mamori", name = "audit-export", description = "Writes the platform's audit log (or a tenant's, with --tenant and "
        + "--reason) as JSON Lines to a new file in ${karaf.data}/mamori/audit-exports: header with verifier keys, every entry with its canonical bytes, the "
        + "checkpoints, a trailer. Check it offline with: java -jar dev.mamori.audit.api-<version>.jar <file> --key <verifier key>.")
public class AuditExportCommand extends AuditLogAction {
    /** A file name only: exports go to one directory, never to a path an operator picks (deploy/, etc/). */
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    @Argument(index = 0, name = "name", required = true, description = "The file name to create in ${karaf.data}/mamori/audit-exports "
            + "(letters, digits, '.', '_', '-'; it must not exist).")
    String file;

    @Override
    protected void run() throws Exception {
        if (!NAME.matcher(file).matches() || file.contains("..")) {
            throw new IllegalArgumentException("An export's name is a file name: letters, digits, '.', '_' or '-', at most 100.");
        }
        Path dir = Path.of(System.getProperty("karaf.data", "data"), "mamori", "audit-exports");
        Files.createDirectories(dir);
        Path path = dir.resolve(file);
        dev.mamori.audit.AuditExport export = audit.export(log(), reason);
        long n;
        try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            n = export.writeTo(out);
        } catch (RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
        System.out.println(n + " entries written to " + path.toAbsolutePath());
    }
}
