package dev.mamori.auth.rest.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.ws.rs.HttpMethod;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.core.Application;
import javax.ws.rs.core.Cookie;
import javax.ws.rs.core.Link;
import javax.ws.rs.core.MultivaluedHashMap;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriBuilder;
import javax.ws.rs.core.Variant;
import javax.ws.rs.ext.RuntimeDelegate;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.AuthenticationService;
import dev.mamori.auth.Authorizer;
import dev.mamori.auth.Credentials;
import dev.mamori.auth.IpAllowListService;
import dev.mamori.auth.MfaConfirmation;
import dev.mamori.auth.MfaEnrolment;
import dev.mamori.auth.RequestGuard;
import dev.mamori.auth.Session;
import dev.mamori.auth.SessionState;
import dev.mamori.auth.SignIn;
import dev.mamori.platform.context.Channel;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.rest.spi.RestConstants;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;

/** Hand-written fakes for the slot filters' unit tests: a JAX-RS request without a runtime, and the auth services. */
final class Fakes {
    static {
        // javax.ws.rs.core.Cookie asks the RuntimeDelegate for a header delegate when its class loads;
        // no JAX-RS runtime is on the test class path, and the filters never format cookies
        RuntimeDelegate.setInstance(new NoRuntime());
    }

    static final String CLIENT_IP = "198.51.100.7";

    private Fakes() {
    }

    /** The resources whose endpoints the filters guard. */
    static final List<Class<?>> RESOURCES = List.of(AuthResource.class, UserResource.class, MeResource.class, IpAllowListResource.class);

    /** @return the endpoint method {@code name} of {@code resource} (names are unique per resource) */
    static Method endpoint(Class<?> resource, String name) {
        List<Method> found = Arrays.stream(resource.getMethods()).filter(m -> m.getName().equals(name) && httpMethod(m) != null)
                .collect(Collectors.toList());
        if (found.size() != 1) {
            throw new IllegalArgumentException(resource.getSimpleName() + "." + name + ": " + found.size() + " endpoints");
        }
        return found.get(0);
    }

    /** @return every endpoint of {@link #RESOURCES} */
    static List<Method> endpoints() {
        return RESOURCES.stream().flatMap(r -> Stream.of(r.getMethods())).filter(m -> httpMethod(m) != null)
                .collect(Collectors.toList());
    }

    /** @return the HTTP method of an endpoint, or null for a method that is none */
    static String httpMethod(Method m) {
        return Arrays.stream(m.getAnnotations()).map(a -> a.annotationType().getAnnotation(HttpMethod.class))
                .filter(h -> h != null).map(HttpMethod::value).findFirst().orElse(null);
    }

    static String name(Method m) {
        return m.getDeclaringClass().getSimpleName() + "." + m.getName();
    }

    static Session session(String tenantId, String userId, SessionState state, String csrf) {
        PrincipalKind kind = tenantId == null ? PrincipalKind.OPERATOR : PrincipalKind.USER;
        return new Session("sid-" + userId, kind, tenantId, userId, Set.of(), state, Instant.EPOCH, Instant.EPOCH.plusSeconds(3600), csrf);
    }

    /** Runs {@code work} in a REST execution context from {@code ip}; @return the context as the filters left it */
    static ExecutionContext within(String ip, Runnable work) {
        return ExecutionContext.builder(Channel.REST).clientIp(ip).build().call(() -> {
            work.run();
            return ExecutionContext.require();
        });
    }

    static ExecutionContext within(Runnable work) {
        return within(CLIENT_IP, work);
    }

    /** A request as the slot filters see it. */
    static final class Request {
        final String verb;
        final Map<String, Object> properties = new HashMap<>();
        final MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        final Map<String, Cookie> cookies = new HashMap<>();

        /**
         * @param verb     HTTP method
         * @param endpoint the matched resource method, or null for none
         */
        Request(String verb, Method endpoint) {
            this.verb = verb;
            if (endpoint != null) {
                properties.put(RestConstants.RESOURCE_CLASS, endpoint.getDeclaringClass());
                properties.put(RestConstants.RESOURCE_METHOD, endpoint);
            }
        }

        /** A request to {@code endpoint} with its own HTTP method. */
        static Request to(Method endpoint) {
            return new Request(httpMethod(endpoint), endpoint);
        }

        Request cookie(String token) {
            cookies.put(Tokens.COOKIE, new Cookie(Tokens.COOKIE, token));
            return this;
        }

        Request bearer(String token) {
            headers.add("Authorization", "Bearer " + token);
            return this;
        }

        Request header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        private Session session;

        /** As if the authentication slot had found {@code s}: its principal goes into the context {@link #context()} is made in. */
        Request withSession(Session s) {
            session = s;
            return this;
        }

        /** The request context; with a session, the current execution context gets its principal, as the authentication slot would. */
        ContainerRequestContext context() {
            if (session != null) {
                ExecutionContext.amend(c -> c.withPrincipal(SessionFilter.principalOf(session)));
            }
            return (ContainerRequestContext) Proxy.newProxyInstance(Fakes.class.getClassLoader(),
                    new Class<?>[] {ContainerRequestContext.class}, (p, m, a) -> {
                        switch (m.getName()) {
                            case "getMethod":
                                return verb;
                            case "getHeaders":
                                return headers;
                            case "getHeaderString":
                                return headers.containsKey(a[0]) ? String.join(",", headers.get(a[0])) : null;
                            case "getCookies":
                                return cookies;
                            case "getProperty":
                                return properties.get(a[0]);
                            case "setProperty":
                                properties.put((String) a[0], a[1]);
                                return null;
                            case "removeProperty":
                                properties.remove(a[0]);
                                return null;
                            default:
                                throw new UnsupportedOperationException("ContainerRequestContext." + m.getName());
                        }
                    });
        }
    }

    /** Sessions by token; anything else is an invalid session, as the real service answers. */
    static final class Authentication implements AuthenticationService {
        final Map<String, Session> sessions = new HashMap<>();
        final List<String> asked = new ArrayList<>();

        @Override
        public Session authenticate(String token) {
            asked.add(token);
            Session s = sessions.get(token);
            if (s == null) {
                throw new AuthException(AuthErrors.SESSION_INVALID, "unknown");
            }
            return s;
        }

        @Override
        public SignIn signIn(Credentials credentials) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SignIn signIn(Credentials credentials, String factor, String code) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SignIn verifyMfa(String token, String factor, String code) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SignIn recover(String token, String recoveryCode) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void signOut(String token) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MfaEnrolment beginTotpEnrolment(String token) {
            throw new UnsupportedOperationException();
        }

        @Override
        public MfaConfirmation confirmTotpEnrolment(String token, String code) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SignIn changePassword(String token, char[] current, char[] next) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void resetPassword(String tenant, String resetToken, char[] next) {
            throw new UnsupportedOperationException();
        }
    }

    /** Client address and flood limit: a peer {@link #PROXY} forwards for the last X-Forwarded-For entry. */
    static final class Guard implements RequestGuard {
        static final String PROXY = "10.0.0.1";
        final List<String> admitted = new ArrayList<>();
        /** When each admitted request arrived; null: counted as arriving now. */
        final List<java.time.Instant> arrivals = new ArrayList<>();
        final Set<String> flooding = new HashSet<>();

        @Override
        public String clientAddress(String remote, List<String> forwardedFor) {
            return PROXY.equals(remote) && !forwardedFor.isEmpty() ? forwardedFor.get(forwardedFor.size() - 1) : remote;
        }

        @Override
        public void admit(String clientAddress) {
            admit(clientAddress, null);
        }

        @Override
        public void admit(String clientAddress, java.time.Instant arrivedAt) {
            admitted.add(clientAddress);
            arrivals.add(arrivedAt);
            if (flooding.contains(clientAddress)) {
                throw new AuthException(AuthErrors.TOO_MANY_ATTEMPTS, "slow down", java.time.Duration.ofSeconds(1));
            }
        }
    }

    /** Allow-lists as sets of exact addresses; null (unknown) is never allowed. */
    static final class AllowLists implements IpAllowListService {
        final Map<String, Set<String>> tenants = new HashMap<>();
        final Set<String> platform = new HashSet<>();
        final List<String> asked = new ArrayList<>();

        @Override
        public boolean allows(String tenantId, String clientIp) {
            asked.add(tenantId + "@" + clientIp);
            return clientIp != null && tenants.getOrDefault(tenantId, Set.of()).contains(clientIp);
        }

        @Override
        public boolean allowsPlatform(String clientIp) {
            asked.add("platform@" + clientIp);
            return clientIp != null && platform.contains(clientIp);
        }

        @Override
        public List<String> list() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> replace(List<String> ranges) {
            throw new UnsupportedOperationException();
        }
    }

    /** Grants by principal id, answered as {@code AuthorizerImpl} answers: 401 without a principal, 403 without the grant. */
    static final class Grants implements Authorizer {
        final Map<String, Set<String>> grants = new HashMap<>();
        final List<String> checked = new ArrayList<>();

        @Override
        public boolean isPermitted(String permission) {
            return ExecutionContext.current().flatMap(ExecutionContext::principal)
                    .map(p -> grants.getOrDefault(p.id(), Set.of()).contains(permission)).orElse(false);
        }

        @Override
        public void check(String permission) {
            checked.add(permission);
            if (ExecutionContext.current().flatMap(ExecutionContext::principal).isEmpty()) {
                throw new MamoriException(PlatformErrors.UNAUTHENTICATED, "no principal");
            }
            if (!isPermitted(permission)) {
                throw new AuthException(AuthErrors.FORBIDDEN_PERMISSION, "missing " + permission);
            }
        }

        @Override
        public boolean isPermittedInAnyScope(String permission) {
            return ExecutionContext.current().flatMap(ExecutionContext::principal).map(p -> grants.getOrDefault(p.id(), Set.of())
                    .stream().anyMatch(g -> g.equals(permission) || g.startsWith(permission + ":"))).orElse(false);
        }

        @Override
        public void checkInAnyScope(String permission) {
            checked.add("any:" + permission);
            if (ExecutionContext.current().flatMap(ExecutionContext::principal).isEmpty()) {
                throw new MamoriException(PlatformErrors.UNAUTHENTICATED, "no principal");
            }
            if (!isPermittedInAnyScope(permission)) {
                throw new AuthException(AuthErrors.FORBIDDEN_PERMISSION, "missing " + permission);
            }
        }
    }

    /** Published events, built against the context they were published in. */
    static final class Events implements EventPublisher {
        final List<MamoriEvent> published = new ArrayList<>();

        @Override
        public MamoriEvent publish(MamoriEvent.Builder event) {
            MamoriEvent e = event.build(Instant.EPOCH, ExecutionContext.current().orElse(null));
            published.add(e);
            return e;
        }
    }

    /** @return a tenant service that only finds the given tenants */
    static TenantService tenants(Map<String, TenantState> states) {
        return (TenantService) Proxy.newProxyInstance(Fakes.class.getClassLoader(), new Class<?>[] {TenantService.class}, (p, m, a) -> {
            if (m.getName().equals("find")) {
                TenantState s = states.get((String) a[0]);
                return java.util.Optional.ofNullable(s == null ? null : tenant((String) a[0], s));
            }
            throw new UnsupportedOperationException("TenantService." + m.getName());
        });
    }

    private static Tenant tenant(String id, TenantState state) {
        return new Tenant(id, "slug-" + id, "Tenant " + id, state, "standard", "jp", LocalDate.EPOCH, null, null, null, Instant.EPOCH,
                Instant.EPOCH, Instant.EPOCH);
    }

    /** The least RuntimeDelegate that lets {@link Cookie} load. */
    private static final class NoRuntime extends RuntimeDelegate {
        @Override
        public UriBuilder createUriBuilder() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Response.ResponseBuilder createResponseBuilder() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Variant.VariantListBuilder createVariantListBuilder() {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T createEndpoint(Application application, Class<T> endpointType) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> HeaderDelegate<T> createHeaderDelegate(Class<T> type) {
            return null;
        }

        @Override
        public Link.Builder createLinkBuilder() {
            throw new UnsupportedOperationException();
        }
    }
}
