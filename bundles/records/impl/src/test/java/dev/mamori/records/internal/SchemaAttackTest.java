package dev.mamori.records.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mamori.platform.error.MamoriException;
import dev.mamori.records.RecordErrors;

/** Schemas a hostile tenant admin could write: refused when stored, or failing one payload cleanly - never a server error. */
class SchemaAttackTest {
    private final PayloadSchemas schemas = new PayloadSchemas();

    @ParameterizedTest
    @ValueSource(strings = {"{\"$ref\": \"#\"}", "{\"allOf\": [{\"$ref\": \"#\"}]}", "{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/a\"}}, \"$ref\": \"#/$defs/a\"}",
        "{\"$dynamicRef\": \"#\"}"})
    @DisplayName("SEC-1: a schema that refers to itself without end is refused or fails the payload with 400, never a stack overflow")
    void selfReference(String schema) {
        try {
            String checked = schemas.check(schema);
            MamoriException e = assertThrows(MamoriException.class, () -> schemas.validate("t\nc\n1", checked, "{\"a\": 1}"));
            assertEquals(RecordErrors.INVALID_PAYLOAD, e.errorCode(), e.getMessage());
        } catch (MamoriException refused) {
            assertEquals(RecordErrors.INVALID_CATEGORY, refused.errorCode(), refused.getMessage());
        }
    }

    @org.junit.jupiter.api.Test
    @DisplayName("A recursive schema that descends into the payload (a tree) is fine, and so is a reference to a definition")
    void recursionThatDescends() {
        String tree = schemas.check("{\"$defs\":{\"node\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
                + "\"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/node\"}}}}},\"$ref\":\"#/$defs/node\"}");
        schemas.validate("t\ntree\n1", tree, "{\"name\":\"a\",\"children\":[{\"name\":\"b\",\"children\":[{\"name\":\"c\"}]}]}");
        MamoriException e = assertThrows(MamoriException.class, () -> schemas.validate("t\ntree\n1", tree,
                "{\"name\":\"a\",\"children\":[{\"name\":1}]}"));
        assertEquals(RecordErrors.INVALID_PAYLOAD, e.errorCode());
        assertEquals(RecordErrors.INVALID_CATEGORY, assertThrows(MamoriException.class,
                () -> schemas.check("{\"$ref\":\"#/$defs/missing\"}")).errorCode());
    }
}
