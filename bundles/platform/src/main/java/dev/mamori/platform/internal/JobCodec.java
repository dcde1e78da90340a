package dev.mamori.platform.internal;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;

/**
 * JSON of job parameters, cursors and submitters (Jackson data binding). Strict: no polymorphic
 * typing (a stored value can never name a class to build), unknown properties refused, so a value
 * written for one type is never read quietly as another.
 */
final class JobCodec {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                    DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private JobCodec() {
    }

    /** A value that cannot be written or read as its declared type. */
    static final class CodecException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CodecException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new CodecException(value.getClass().getName() + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    static <T> T read(String json, Class<T> type) {
        try {
            T v = MAPPER.readValue(json, type);
            if (v == null) {
                throw new CodecException("null is not a " + type.getName(), null);
            }
            return v;
        } catch (JsonProcessingException e) {
            throw new CodecException("The stored JSON is not a " + type.getName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Who submitted a job, as the step's principal is rebuilt from it. */
    record Submitter(String kind, String id, String tenantId, List<String> roles) {
        static Submitter of(Principal p) {
            return new Submitter(p.kind().name(), p.id(), p.tenantId().orElse(null), List.copyOf(p.roles()));
        }

        Principal principal() {
            Set<String> r = new TreeSet<>(roles == null ? List.of() : roles);
            switch (PrincipalKind.valueOf(kind)) {
                case USER:
                    return Principal.user(id, tenantId, r);
                case OPERATOR:
                    return Principal.operator(id, r);
                case SUPPORT:
                    return Principal.support(id, r);
                case PLUGIN:
                    return Principal.plugin(id, tenantId, r);
                default:
                    return Principal.system(id);
            }
        }
    }
}
