package dev.mamori.auth.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.error.ErrorKind;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/** EXT-3: the auth endpoints declare their errors by kind; the REST server documents them, nobody repeats them by hand. */
class ProblemResponsesTest {

    private static Set<ErrorKind> kinds(Method m) {
        Set<ErrorKind> out = EnumSet.noneOf(ErrorKind.class);
        for (ProblemResponses p : new ProblemResponses[] {m.getDeclaringClass().getAnnotation(ProblemResponses.class),
            m.getAnnotation(ProblemResponses.class)}) {
            if (p != null) {
                out.addAll(List.of(p.value()));
            }
        }
        return out;
    }

    @Test
    @DisplayName("EXT-3: no endpoint documents a problem+json response by hand; each declares the kinds it answers with")
    void problemResponsesByKind() {
        List<String> byHand = new ArrayList<>();
        for (Method m : Fakes.endpoints()) {
            Operation op = m.getAnnotation(Operation.class);
            for (ApiResponse r : op.responses()) {
                if (r.content().length > 0 && r.content()[0].mediaType().equals(RestConstants.PROBLEM_JSON)) {
                    byHand.add(Fakes.name(m) + " " + r.responseCode());
                }
            }
            assertTrue(!kinds(m).isEmpty(), Fakes.name(m) + " declares no error kind");
        }
        assertEquals(List.of(), byHand);
    }

    @Test
    @DisplayName("EXT-3, IAM-9, SEC-12: sign-in answers 400, 401 or 429 - one answer for every failed credential")
    void signInKinds() throws Exception {
        assertEquals(EnumSet.of(ErrorKind.INVALID, ErrorKind.UNAUTHENTICATED, ErrorKind.TOO_MANY_REQUESTS),
                kinds(Fakes.endpoint(AuthResource.class, "signIn")));
        Set<ErrorKind> admin = kinds(Fakes.endpoint(UserResource.class, "list"));
        assertTrue(admin.containsAll(EnumSet.of(ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN)), admin.toString());
    }
}
