package dev.mamori.rest.internal;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;

/** Minimal JAX-RS request/response contexts for filter tests, without a JAX-RS runtime. */
final class Jaxrs {
    private Jaxrs() {
    }

    /** What a filter did to the request. */
    static final class Request {
        final Map<String, Object> properties = new HashMap<>();
        final MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        final MultivaluedMap<String, String> query = new MultivaluedHashMap<>();
        URI uri = URI.create("https://localhost:8443/api/v1/health");
        int length = -1;
        boolean hasEntity;
        InputStream entity;
        Response aborted;

        ContainerRequestContext context() {
            UriInfo uriInfo = (UriInfo) Proxy.newProxyInstance(Jaxrs.class.getClassLoader(), new Class<?>[] {UriInfo.class},
                    (p, m, a) -> {
                        switch (m.getName()) {
                            case "getRequestUri":
                                return uri;
                            case "getPath":
                                return uri.getPath().replaceFirst("^/api/v1/?", "");
                            case "getQueryParameters":
                                return query;
                            default:
                                throw new UnsupportedOperationException("UriInfo." + m.getName());
                        }
                    });
            return (ContainerRequestContext) Proxy.newProxyInstance(Jaxrs.class.getClassLoader(),
                    new Class<?>[] {ContainerRequestContext.class}, (p, m, a) -> {
                        switch (m.getName()) {
                            case "getUriInfo":
                                return uriInfo;
                            case "getHeaderString":
                                return headers.containsKey(a[0]) ? String.join(",", headers.get(a[0])) : null;
                            case "getHeaders":
                                return headers;
                            case "getProperty":
                                return properties.get(a[0]);
                            case "setProperty":
                                properties.put((String) a[0], a[1]);
                                return null;
                            case "getLength":
                                return length;
                            case "hasEntity":
                                return hasEntity;
                            case "getEntityStream":
                                return entity;
                            case "setEntityStream":
                                entity = (InputStream) a[0];
                                return null;
                            case "abortWith":
                                aborted = (Response) a[0];
                                return null;
                            default:
                                throw new UnsupportedOperationException("ContainerRequestContext." + m.getName());
                        }
                    });
        }
    }

    /** A response context exposing only its headers. */
    static ContainerResponseContext response(MultivaluedMap<String, Object> headers) {
        return (ContainerResponseContext) Proxy.newProxyInstance(Jaxrs.class.getClassLoader(),
                new Class<?>[] {ContainerResponseContext.class}, (p, m, a) -> {
                    if (m.getName().equals("getHeaders")) {
                        return headers;
                    }
                    throw new UnsupportedOperationException("ContainerResponseContext." + m.getName());
                });
    }
}
