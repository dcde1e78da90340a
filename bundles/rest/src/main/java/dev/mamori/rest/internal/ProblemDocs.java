package dev.mamori.rest.internal;

import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mamori.platform.error.ErrorKind;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;
import io.swagger.v3.jaxrs2.ext.AbstractOpenAPIExtension;
import io.swagger.v3.jaxrs2.ext.OpenAPIExtension;
import io.swagger.v3.jaxrs2.ext.OpenAPIExtensions;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

/**
 * The one place the problem responses of the API description come from. Swagger's reader hands each
 * operation it builds, with its Java method, to the chain of {@link OpenAPIExtension}s; this one adds,
 * for every kind the method or its class declares with {@link ProblemResponses}, the status
 * {@link ProblemMapper} answers that kind with, the {@code Problem} schema as
 * {@value RestConstants#PROBLEM_JSON}, a description of the kind, and {@code Retry-After} where the
 * mapper sends it. A response the method documents itself stays as it is.
 *
 * <p>Swagger keeps its extensions in one static list: this one is put first into it by
 * {@link #install()} (replacing the list, never changing one a reader may be walking) and taken out
 * again when the REST server stops; it leaves operations of methods without the annotation alone, so
 * another application's document in the same container is not touched. The {@code Problem} schema the
 * responses refer to is in every document through {@link HealthResource}, which is in every
 * generation and answers 406 with it.
 */
final class ProblemDocs extends AbstractOpenAPIExtension {
    /** Where every problem response's schema is. */
    static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final Object LOCK = new Object();

    /** Puts this extension first into swagger's chain, replacing one of an earlier revision of this bundle. */
    static void install() {
        synchronized (LOCK) {
            List<OpenAPIExtension> current = OpenAPIExtensions.getExtensions();
            if (!current.isEmpty() && current.get(0) instanceof ProblemDocs) {
                return;
            }
            List<OpenAPIExtension> next = new ArrayList<>();
            next.add(new ProblemDocs());
            current.stream().filter(e -> !e.getClass().getName().equals(ProblemDocs.class.getName())).forEach(next::add);
            OpenAPIExtensions.setExtensions(next);
        }
    }

    /** Takes it out of swagger's chain again. */
    static void uninstall() {
        synchronized (LOCK) {
            List<OpenAPIExtension> next = new ArrayList<>(OpenAPIExtensions.getExtensions());
            if (next.removeIf(e -> e instanceof ProblemDocs)) {
                OpenAPIExtensions.setExtensions(next);
            }
        }
    }

    @Override
    public void decorateOperation(Operation operation, Method method, Iterator<OpenAPIExtension> chain) {
        document(operation, kinds(method));
        super.decorateOperation(operation, method, chain);
    }

    /** @return the kinds the method and the class that declares it name, in the enum's order */
    static Set<ErrorKind> kinds(Method method) {
        Set<ErrorKind> kinds = EnumSet.noneOf(ErrorKind.class);
        if (method == null) {
            return kinds;
        }
        for (ProblemResponses p : new ProblemResponses[] {method.getDeclaringClass().getAnnotation(ProblemResponses.class),
            method.getAnnotation(ProblemResponses.class)}) {
            if (p != null) {
                kinds.addAll(List.of(p.value()));
            }
        }
        return kinds;
    }

    /** Adds the kinds' responses the operation does not document itself; responses in the order of their status. */
    static void document(Operation operation, Set<ErrorKind> kinds) {
        if (kinds.isEmpty()) {
            return;
        }
        ApiResponses own = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        for (ErrorKind kind : kinds) {
            own.computeIfAbsent(Integer.toString(ProblemMapper.status(kind)), status -> response(kind));
        }
        ApiResponses sorted = new ApiResponses();
        own.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sorted.addApiResponse(e.getKey(), e.getValue()));
        sorted.setExtensions(own.getExtensions());
        operation.setResponses(sorted);
    }

    private static ApiResponse response(ErrorKind kind) {
        ApiResponse r = new ApiResponse().description(description(kind)).content(new Content().addMediaType(RestConstants.PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref(PROBLEM_REF))));
        if (kind == ErrorKind.TOO_MANY_REQUESTS || kind == ErrorKind.UNAVAILABLE) {
            r.addHeaderObject("Retry-After", new Header().description("Seconds to wait before trying again")
                    .schema(new IntegerSchema().minimum(BigDecimal.ONE)));
        }
        return r;
    }

    /** @return what an answer of the kind means, whichever operation gives it */
    static String description(ErrorKind kind) {
        switch (kind) {
            case INVALID:
                return "Invalid request: the problem's detail says what is wrong";
            case UNAUTHENTICATED:
                return "Not signed in, the session ended, or the sign-in failed";
            case FORBIDDEN:
                return "Not allowed: role or permission, second factor, CSRF token or client address";
            case NOT_FOUND:
                return "No such thing, or not visible to the caller";
            case CONFLICT:
                return "Not possible in the current state";
            case GONE:
                return "Destroyed on purpose";
            case PRECONDITION_FAILED:
                return "It changed since you read it: read it again (new ETag) and retry";
            case PRECONDITION_REQUIRED:
                return "Send If-Match with the ETag you read";
            case PAYLOAD_TOO_LARGE:
                return "The request body is over the limit";
            case TOO_MANY_REQUESTS:
                return "Too many requests or failures; try again after Retry-After seconds";
            case UNAVAILABLE:
                return "Not available now; try again after Retry-After seconds";
            case INTERNAL:
            default:
                return "A fault of the server; quote the request id when reporting it";
        }
    }
}
