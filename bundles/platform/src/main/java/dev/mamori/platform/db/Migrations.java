package dev.mamori.platform.db;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Applies a bundle's versioned SQL migrations with Flyway (never EclipseLink DDL). Each bundle
 * keeps its own history table, so bundles migrate, and can be updated, independently on the
 * same database.
 *
 * <p>Flyway's class-path scanner cannot see into another bundle, so the migrations are listed
 * from the owning bundle itself (or from the class-path directory in plain unit tests).
 */
public final class Migrations {
    private Migrations() {
    }

    /**
     * @param dataSource   target database
     * @param owner        a class of the bundle that owns the migrations
     * @param location     folder of the migrations inside that bundle, e.g. {@code dev/mamori/tenant/db}
     * @param historyTable the bundle's own Flyway history table
     * @return the number of migrations applied now
     */
    public static int migrate(DataSource dataSource, Class<?> owner, String location, String historyTable) {
        return apply(dataSource, list(FrameworkUtil.getBundle(owner), owner, location), location, historyTable).applied();
    }

    /**
     * What a migration run did.
     *
     * @param applied how many migrations were applied now
     * @param version the newest applied version afterwards
     */
    public record Result(int applied, String version) {
    }

    /**
     * Applies the migrations a bundle carries (what the platform does for the {@value SchemaReady#HEADER} header).
     *
     * @param dataSource   target database
     * @param bundle       the bundle that carries them
     * @param location     folder of the migrations inside that bundle
     * @param historyTable the schema's own Flyway history table
     * @return what was applied
     */
    public static Result migrate(DataSource dataSource, Bundle bundle, String location, String historyTable) {
        return apply(dataSource, list(bundle, null, location), location, historyTable);
    }

    private static Result apply(DataSource dataSource, List<Sql> scripts, String location, String historyTable) {
        if (scripts.isEmpty()) {
            throw new IllegalStateException("No migrations in " + location);
        }
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .resourceProvider(new Provider(scripts))
                .javaMigrationClassProvider(Collections::emptyList)
                .table(historyTable)
                // other bundles' tables may already be there: start this bundle's history at 0
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
        int applied = flyway.migrate().migrationsExecuted;
        org.flywaydb.core.api.MigrationInfo current = flyway.info().current();
        return new Result(applied, current == null || current.getVersion() == null ? "0" : current.getVersion().getVersion());
    }

    static List<Sql> list(Bundle bundle, Class<?> owner, String location) {
        List<Sql> out = new ArrayList<>();
        if (bundle != null) {
            Enumeration<URL> entries = bundle.findEntries(location, "*.sql", false);
            while (entries != null && entries.hasMoreElements()) {
                URL url = entries.nextElement();
                String path = url.getPath();
                out.add(new Sql(location, path.substring(path.lastIndexOf('/') + 1), url));
            }
        } else if (owner != null) {
            URL dir = owner.getClassLoader().getResource(location);
            if (dir != null && "file".equals(dir.getProtocol())) {
                try (Stream<Path> files = Files.list(Paths.get(dir.toURI()))) {
                    for (Path p : files.filter(f -> f.toString().endsWith(".sql")).collect(Collectors.toList())) {
                        out.add(new Sql(location, p.getFileName().toString(), p.toUri().toURL()));
                    }
                } catch (IOException | URISyntaxException e) {
                    throw new IllegalStateException("cannot list migrations in " + dir, e);
                }
            } else if (dir != null && "jar".equals(dir.getProtocol())) {
                // another bundle's migrations on a plain class path (tests of a bundle that needs the platform's tables)
                try {
                    java.net.JarURLConnection jar = (java.net.JarURLConnection) dir.openConnection();
                    jar.setUseCaches(false);
                    try (java.util.jar.JarFile file = jar.getJarFile()) {
                        String prefix = location.endsWith("/") ? location : location + "/";
                        for (java.util.jar.JarEntry e : Collections.list(file.entries())) {
                            String name = e.getName();
                            if (name.startsWith(prefix) && name.endsWith(".sql") && name.indexOf('/', prefix.length()) < 0) {
                                out.add(new Sql(location, name.substring(prefix.length()), owner.getClassLoader().getResource(name)));
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("cannot list migrations in " + dir, e);
                }
            }
        }
        Collections.sort(out);
        return out;
    }

    static final class Sql extends LoadableResource {
        private final String location;
        private final String name;
        private final URL url;

        Sql(String location, String name, URL url) {
            this.location = location;
            this.name = name;
            this.url = url;
        }

        @Override
        public Reader read() {
            try {
                return new InputStreamReader(url.openStream(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String getAbsolutePath() {
            return location + "/" + name;
        }

        @Override
        public String getAbsolutePathOnDisk() {
            return url.toString();
        }

        @Override
        public String getFilename() {
            return name;
        }

        @Override
        public String getRelativePath() {
            return name;
        }
    }

    private static final class Provider implements ResourceProvider {
        private final List<Sql> scripts;

        Provider(List<Sql> scripts) {
            this.scripts = scripts;
        }

        @Override
        public LoadableResource getResource(String name) {
            return scripts.stream().filter(s -> s.getRelativePath().equals(name) || s.getAbsolutePath().equals(name))
                    .findFirst().orElse(null);
        }

        @Override
        public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
            List<LoadableResource> out = new ArrayList<>();
            for (Sql s : scripts) {
                if (s.getFilename().startsWith(prefix)) {
                    for (String suffix : suffixes) {
                        if (s.getFilename().endsWith(suffix)) {
                            out.add(s);
                            break;
                        }
                    }
                }
            }
            return out;
        }
    }
}
