package dev.mamori.rest.internal;

import java.util.ArrayList;
import java.util.List;

import javax.ws.rs.Path;

import org.apache.cxf.jaxrs.utils.AnnotationUtils;

/**
 * The paths a root resource serves, from its class's {@code @Path} template, coarsely: a request
 * path matches when it starts with the template's literal segments; a segment with a template
 * variable matches any segment and everything after it (a variable may have a regular expression
 * that spans segments). Coarse on purpose: it decides only whether a request waits for the
 * resource, and waiting a little too often is harmless.
 */
final class Paths {
    private static final Paths NONE = new Paths(null);
    private final String[] template;

    private Paths(String[] template) {
        this.template = template;
    }

    /** @param resourceClass a resource's class @return the paths it serves (none without {@code @Path}) */
    static Paths of(Class<?> resourceClass) {
        Path p = AnnotationUtils.getClassAnnotation(resourceClass, Path.class);
        return p == null ? NONE : new Paths(segments(p.value()));
    }

    /** @param template a {@code @Path} value @return its paths */
    static Paths of(String template) {
        return new Paths(segments(template));
    }

    /** @param path a path, e.g. {@code /users/42/} @return its non-empty segments */
    static String[] segments(String path) {
        List<String> out = new ArrayList<>();
        if (path != null) {
            for (String s : path.split("/")) {
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out.toArray(new String[0]);
    }

    /** @param path the segments of a request path under the API @return whether this resource may serve it */
    boolean matches(String[] path) {
        if (template == null) {
            return false;
        }
        for (int i = 0; i < template.length; i++) {
            if (template[i].indexOf('{') >= 0) {
                return path.length > i;
            }
            if (path.length <= i || !template[i].equals(path[i])) {
                return false;
            }
        }
        return true;
    }
}
