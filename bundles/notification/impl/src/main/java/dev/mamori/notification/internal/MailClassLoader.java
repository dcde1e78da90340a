package dev.mamori.notification.internal;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The context class loader while Jakarta Mail works: it finds its providers (Angus Mail's SMTP
 * transport and stream provider, Angus Activation's mailcap registry) with the JDK's
 * ServiceLoader through the thread's context class loader, which in OSGi sees none of them. This
 * one looks into the bundles that hold them, so no OSGi service-loader mediator is needed.
 */
final class MailClassLoader extends ClassLoader {
    private final List<ClassLoader> loaders;

    MailClassLoader(ClassLoader... loaders) {
        super(null);
        Set<ClassLoader> distinct = new LinkedHashSet<>(List.of(loaders));
        this.loaders = List.copyOf(distinct);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (ClassLoader l : loaders) {
            try {
                return l.loadClass(name);
            } catch (ClassNotFoundException e) {
                // next
            }
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    protected URL findResource(String name) {
        for (ClassLoader l : loaders) {
            URL u = l.getResource(name);
            if (u != null) {
                return u;
            }
        }
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        List<URL> all = new ArrayList<>();
        for (ClassLoader l : loaders) {
            all.addAll(Collections.list(l.getResources(name)));
        }
        return Collections.enumeration(all);
    }
}
