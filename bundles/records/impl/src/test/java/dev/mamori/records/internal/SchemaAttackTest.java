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
        "{\"$dynamicRef\": \"#\"}", "{\"dependentSchemas\":{\"a\":{\"$ref\":\"#\"}}}", "{\"not\":{\"$ref\":\"#\"}}", "{\"if\":{\"$ref\":\"#\"}}",
        "{\"anyOf\":[{\"type\":\"string\"},{\"$ref\":\"#\"}]}", "{\"$anchor\":\"x\",\"$ref\":\"#x\"}",
        "{\"$dynamicAnchor\":\"meta\",\"$dynamicRef\":\"#meta\"}", "{\"properties\":{\"a\":{\"$ref\":\"#/properties/a\"}}}",
        "{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},\"b\":{\"$ref\":\"#/$defs/a\"}},\"$ref\":\"#/$defs/a\"}"})
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

    @org.junit.jupiter.api.Test
    @DisplayName("SEC-1: alternatives that multiply (oneOf over two references to the next link, 22 links: 4M subschemas per value) are "
            + "refused when the category is defined - found by an outside attack that ran the server out of memory")
    void branchingBomb() {
        StringBuilder defs = new StringBuilder("{\"$defs\":{");
        for (int i = 0; i < 22; i++) {
            defs.append("\"a").append(i).append("\":{\"oneOf\":[{\"$ref\":\"#/$defs/a").append(i + 1).append("\"},{\"$ref\":\"#/$defs/a")
                    .append(i + 1).append("\"}]},");
        }
        defs.append("\"a22\":{\"type\":\"object\"}},\"$ref\":\"#/$defs/a0\"}");
        MamoriException e = assertThrows(MamoriException.class, () -> schemas.check(defs.toString()));
        assertEquals(RecordErrors.INVALID_CATEGORY, e.errorCode());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("more than"), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    @DisplayName("SEC-1: a payload with a lone UTF-16 surrogate is refused (400), not stored changed")
    void loneSurrogate() {
        String checked = schemas.check("{\"type\":\"object\"}");
        assertEquals(RecordErrors.INVALID_PAYLOAD, assertThrows(MamoriException.class,
                () -> schemas.validate("t\nc\n1", checked, "{\"a\":\"\\ud800\"}")).errorCode());
        assertEquals(RecordErrors.INVALID_PAYLOAD, assertThrows(MamoriException.class,
                () -> schemas.validate("t\nc\n1", checked, "{\"\\udc00\":1}")).errorCode());
        schemas.validate("t\nc\n1", checked, "{\"a\":\"\\ud83d\\ude00 😀\"}");
    }
}
