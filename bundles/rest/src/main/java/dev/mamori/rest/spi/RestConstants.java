package dev.mamori.rest.spi;

import java.util.List;

/**
 * Constants shared by the REST server and the bundles that plug into it. A capability adds to
 * the API without editing the REST bundle, by registering OSGi services:
 * <ul>
 * <li><b>resources</b>: any object with JAX-RS annotations, with {@value #API_RESOURCE}{@code =true}
 * (the standard {@value #RESOURCE} still works for this release, with a warning);</li>
 * <li><b>extensions</b>: JAX-RS providers such as an {@code ExceptionMapper} for its own exception
 * types or a {@code MessageBodyReader}/{@code MessageBodyWriter}, with {@value #EXTENSION}{@code =true}.
 * A mapper for a specific exception type is preferred over the built-in
 * {@code ExceptionMapper<Throwable>}, which maps every {@code MamoriException} by its kind;</li>
 * <li><b>slot filters</b>: a {@code ContainerRequestFilter} and/or {@code ContainerResponseFilter}
 * with {@value #SLOT}{@code =<slot>}, one of {@link #SLOTS}, and a name in {@value #FILTER_NAME}.
 * Request filters run slot by slot in that order, within a slot by {@code service.ranking}
 * (highest first) then service id; the chain stops at the first filter that aborts. Response
 * filters run in the reverse order, for every request that reached the slot chain (a matched
 * resource), also when a slot filter aborted it or threw. Their {@code @Priority} is ignored.
 * Filters come and go at run time without a rebuild of the server; the next request sees the
 * change.</li>
 * </ul>
 *
 * <p>Slot filters run with the request's {@code dev.mamori.platform.context.ExecutionContext}
 * bound (channel REST, request id, client address, user agent). They refine it for the rest of
 * the request with {@code ExecutionContext.amend(...)}: the authentication slot adds the
 * principal, with its {@code Assurance} (how far its sign-in has come), the tenant slot the
 * tenant; later slots, resources and services read it with {@code ExecutionContext.current()} -
 * nothing travels in private request properties. A filter that rejects a request throws a
 * {@code MamoriException} (for example kind UNAUTHENTICATED, answered 401 problem+json) or
 * aborts with a response of its own. The matched resource class and method are request
 * properties ({@link #RESOURCE_CLASS}, {@link #RESOURCE_METHOD}), so filters read what a resource
 * declares with the annotations of this package: {@link RequiresPermission}, {@link Anonymous},
 * {@link SignInStep}, {@link BodyLimit}. When the request arrived is one too ({@link #ARRIVED}): what a
 * per-client rate limit counts by.
 *
 * <p>The configuration {@code dev.mamori.rest/required.slots} lists what must be present before
 * the API serves anything: a slot ({@code audit}: any filter fills it) or a slot and the name of
 * the filter that must fill it ({@code authentication:auth-session}: only a filter with
 * {@value #FILTER_NAME}{@code =auth-session} does; another filter in that slot does not count).
 * A request that arrives while a requirement is unmet, or while the resource for its path is
 * being replaced, waits for it up to {@code hold.seconds} (10 s as shipped); past that it is
 * answered 503 problem+json with {@code Retry-After} ({@code required-slot-empty},
 * {@code resource-unavailable}), never served unguarded and never told 404 for a path that is
 * coming back.
 */
public final class RestConstants {
    /** Service property ({@code true}) that marks a JAX-RS resource for the Mamori API server. */
    public static final String API_RESOURCE = "mamori.rest.resource";
    /**
     * The OSGi JAX-RS Whiteboard's standard resource property, which an Aries JAX-RS Whiteboard in
     * the same container would serve too.
     *
     * @deprecated register with {@link #API_RESOURCE}; a resource registered with this property only
     *             is still served in this release, with a warning in the log, and no longer in the next
     *             major version of this package
     */
    @Deprecated
    public static final String RESOURCE = "osgi.jaxrs.resource";
    /** Service property ({@code true}) that adds a JAX-RS provider (exception mapper, body reader or writer) to the server. */
    public static final String EXTENSION = "mamori.rest.extension";
    /** Service property naming the slot of a request/response filter; the value is one of {@link #SLOTS}. */
    public static final String SLOT = "mamori.rest.slot";
    /**
     * Service property naming a slot filter (letters, digits, {@code .-_}), e.g. {@code auth-session}:
     * what {@code required.slots} entries of the form {@code <slot>:<name>} demand.
     */
    public static final String FILTER_NAME = "mamori.rest.filter";

    /** Slot that establishes who calls (adds the principal to the execution context). */
    public static final String SLOT_AUTHENTICATION = "authentication";
    /** Slot that binds the tenant and checks its IP allow-list. */
    public static final String SLOT_TENANT = "tenant";
    /** Slot for multi-factor step-up. */
    public static final String SLOT_MFA = "mfa";
    /** Slot for permission checks (may read {@link #RESOURCE_CLASS} and {@link #RESOURCE_METHOD}). */
    public static final String SLOT_PERMISSION = "permission";
    /** Slot for audit records. */
    public static final String SLOT_AUDIT = "audit";
    /** Every slot, in the order their request filters run. */
    public static final List<String> SLOTS = List.of(SLOT_AUTHENTICATION, SLOT_TENANT, SLOT_MFA, SLOT_PERMISSION,
            SLOT_AUDIT);

    /** Request property holding the matched resource's {@link Class}, set before the slot filters run. */
    public static final String RESOURCE_CLASS = "mamori.rest.resourceClass";
    /** Request property holding the matched resource {@link java.lang.reflect.Method}, set before the slot filters run. */
    public static final String RESOURCE_METHOD = "mamori.rest.resourceMethod";

    /**
     * Request property holding the {@link java.time.Instant} the request arrived at the API, set once
     * before anything else - before it may wait for a bundle being swapped - and kept while it waits
     * and when a safe request is tried again. A per-client rate limit counts requests by it: those
     * held during a swap reach the slot filters together when the hold ends, but the client sent them
     * at its own pace (EXT-1, SEC-12). By the system clock, not the platform's {@code Clock}
     * service, which a test may stop or move.
     */
    public static final String ARRIVED = "mamori.rest.arrived";

    /**
     * Name of the OpenAPI security scheme (HTTP bearer) of the API. A secured resource declares
     * it on its class ({@code @SecurityScheme(name = SECURITY_SCHEME, type = HTTP, scheme = "bearer")};
     * declarations of the same name merge) and names it on every operation
     * ({@code @SecurityRequirement(name = SECURITY_SCHEME)}).
     */
    public static final String SECURITY_SCHEME = "bearer";

    /** Base path of the API. */
    public static final String BASE_PATH = "/api/v1";
    /** RFC 7807 media type of every error. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** Header carrying the request id, on every response. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    /** JAX-RS priority of the built-in request id filter (lower runs first on requests). */
    public static final int PRIORITY_REQUEST_ID = 100;
    /** Priority of the built-in gate that answers 503 while a required slot is empty. */
    public static final int PRIORITY_REQUIRED_SLOTS = 150;
    /** Body-size limit (SEC-10), before matching: the ceiling on every path. */
    public static final int PRIORITY_BODY_LIMIT = 200;
    /** Body-size limit (SEC-10), after matching: the matched method's {@link BodyLimit} or the default. */
    public static final int PRIORITY_METHOD_BODY_LIMIT = 250;
    /** Security headers (SEC-9), applied on the way out. */
    public static final int PRIORITY_SECURITY_HEADERS = 300;
    /** The slot chain: every slot filter runs inside it, in slot order. */
    public static final int PRIORITY_SLOTS = 1000;

    private RestConstants() {
    }
}
