package dev.mamori.rest.spi;

/**
 * Constants shared by the REST server and the resources that plug into it.
 */
public final class RestConstants {
    /** Service property that marks a JAX-RS resource for the Mamori API server. */
    public static final String RESOURCE = "osgi.jaxrs.resource";
    /** Base path of the API. */
    public static final String BASE_PATH = "/api/v1";
    /** RFC 7807 media type of every error. */
    public static final String PROBLEM_JSON = "application/problem+json";
    /** Header carrying the request id, on every response. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    /** Slots of the filter chain, in order (JAX-RS priorities; lower runs first on requests). */
    public static final int PRIORITY_REQUEST_ID = 100;
    /** Body-size limit (SEC-10). */
    public static final int PRIORITY_BODY_LIMIT = 200;
    /** Security headers (SEC-9), applied on the way out. */
    public static final int PRIORITY_SECURITY_HEADERS = 300;
    /** Authentication slot. */
    public static final int PRIORITY_AUTHENTICATION = 1000;
    /** Tenant and IP allow-list slot. */
    public static final int PRIORITY_TENANT = 1100;
    /** MFA step-up slot. */
    public static final int PRIORITY_MFA = 1200;
    /** Permission check slot. */
    public static final int PRIORITY_PERMISSION = 1300;
    /** Audit slot. */
    public static final int PRIORITY_AUDIT = 1400;

    private RestConstants() {
    }
}
