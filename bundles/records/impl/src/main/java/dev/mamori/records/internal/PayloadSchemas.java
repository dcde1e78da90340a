package dev.mamori.records.internal;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

import dev.mamori.platform.error.MamoriException;
import dev.mamori.records.RecordErrors;

/**
 * Categories' JSON Schemas and the payloads checked against them, with networknt's validator
 * (drafts 2020-12, 2019-09 and 7). A schema is a tenant's input that the server runs, so it is
 * fenced: local {@code $ref}s only and no {@code $id} (nothing is ever fetched or read from the
 * class path: no server-side request forgery), checked against its draft's meta-schema first, at
 * most 64 KiB; and every {@code pattern} runs with a step budget, so a catastrophic regular
 * expression fails one payload instead of holding a CPU (one tenant cannot slow the others).
 * Compiled schemas are kept per (tenant, category, version).
 */
final class PayloadSchemas {
    static final int MAX_SCHEMA_CHARS = 64 * 1024;
    /** Character reads one pattern match may make: linear patterns on 256 KiB stay far below it. */
    static final long REGEX_BUDGET = 5_000_000;
    private static final int MAX_DEPTH = 64;
    private static final int MAX_ERRORS_SHOWN = 5;
    private static final Set<String> REF_KEYS = Set.of("$ref", "$dynamicRef", "$recursiveRef");
    private static final Map<String, SpecificationVersion> DRAFTS = Map.of(
            "https://json-schema.org/draft/2020-12/schema", SpecificationVersion.DRAFT_2020_12,
            "https://json-schema.org/draft/2019-09/schema", SpecificationVersion.DRAFT_2019_09,
            "http://json-schema.org/draft-07/schema", SpecificationVersion.DRAFT_7,
            "http://json-schema.org/draft-07/schema#", SpecificationVersion.DRAFT_7);

    /** Strict JSON: no duplicate keys, comments, trailing tokens or deep nesting. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_SINGLE_QUOTES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                .maxStringLength(1024 * 1024).maxNumberLength(100).build());
    }

    private final Map<SpecificationVersion, SchemaRegistry> registries = new ConcurrentHashMap<>();
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    /**
     * Checks a category's schema.
     *
     * @param schemaText the schema as written
     * @return it, compact
     * @throws MamoriException {@link RecordErrors#INVALID_CATEGORY} saying what is wrong
     */
    String check(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw invalid("A category needs a JSON Schema (an object, e.g. {\"type\":\"object\"}).");
        }
        if (schemaText.length() > MAX_SCHEMA_CHARS) {
            throw invalid("A schema is at most " + MAX_SCHEMA_CHARS / 1024 + " KiB.");
        }
        JsonNode node = parse(schemaText, RecordErrors.INVALID_CATEGORY, "The schema");
        if (!node.isObject()) {
            throw invalid("A schema is a JSON object.");
        }
        fence(node, "");
        noEndlessReferences(node);
        SpecificationVersion draft = draft(node);
        List<Error> metaErrors = withLibraryLoader(() -> registry(draft).getSchema(SchemaLocation.of(draft.getDialectId()))
                .validate(node));
        if (!metaErrors.isEmpty()) {
            throw invalid("The schema is not valid " + draft.getDialectId() + ": " + describe(metaErrors));
        }
        try {
            compile(node, draft);
        } catch (SchemaException | IllegalArgumentException e) {
            throw invalid("The schema cannot be used: " + e.getMessage());
        }
        return node.toString();
    }

    /**
     * @param key        tenant, category and version: what the compiled schema is kept under
     * @param schemaText the category's (checked) schema
     * @param payload    the payload as sent
     * @return the payload, compact
     * @throws MamoriException {@link RecordErrors#INVALID_PAYLOAD} naming the field
     */
    String validate(String key, String schemaText, String payload) {
        if (payload == null || payload.isBlank()) {
            throw new MamoriException(RecordErrors.INVALID_PAYLOAD, "A record needs a payload (a JSON object).");
        }
        JsonNode node = parse(payload, RecordErrors.INVALID_PAYLOAD, "The payload");
        if (!node.isObject()) {
            throw new MamoriException(RecordErrors.INVALID_PAYLOAD, "A payload is a JSON object.");
        }
        if (hasLoneSurrogate(node)) {
            // it could not be stored or answered as UTF-8 without changing it
            throw new MamoriException(RecordErrors.INVALID_PAYLOAD, "The payload holds a lone UTF-16 surrogate (\\ud800-\\udfff "
                    + "without its pair), which is no character.");
        }
        Schema schema = compiled.computeIfAbsent(key, k -> {
            JsonNode s = parse(schemaText, RecordErrors.INVALID_CATEGORY, "The stored schema");
            return compile(s, draft(s));
        });
        List<Error> errors;
        try {
            errors = withLibraryLoader(() -> schema.validate(node));
        } catch (RegexBudgetExceeded e) {
            throw new MamoriException(RecordErrors.INVALID_PAYLOAD, "A pattern of the category's schema took too long on this "
                    + "payload; ask the tenant's admins to simplify it.");
        } catch (StackOverflowError e) {
            // a schema stored before its references were checked for loops: fail the payload, not the server
            throw new MamoriException(RecordErrors.INVALID_PAYLOAD, "The category's schema refers to itself without end; ask the "
                    + "tenant's admins to fix it.");
        }
        if (!errors.isEmpty()) {
            throw new MamoriException(RecordErrors.INVALID_PAYLOAD, "The payload does not match the category's schema: "
                    + describe(errors));
        }
        return node.toString();
    }

    /** Forgets compiled schemas of a category (it changed or went). */
    void forget(String tenantId, String category) {
        compiled.keySet().removeIf(k -> k.startsWith(tenantId + "\n" + category + "\n"));
    }

    static String key(String tenantId, String category, long version) {
        return tenantId + "\n" + category + "\n" + version;
    }

    private Schema compile(JsonNode schema, SpecificationVersion draft) {
        return withLibraryLoader(() -> {
            Schema s = registry(draft).getSchema(SchemaLocation.of("urn:mamori:category"), schema);
            s.initializeValidators();
            return s;
        });
    }

    private SchemaRegistry registry(SpecificationVersion draft) {
        return registries.computeIfAbsent(draft, d -> SchemaRegistry.withDefaultDialect(d, b -> b
                // nothing but the drafts' own meta-schemas is ever loaded
                .schemaLoader(l -> l.block(iri -> !DRAFTS.containsKey(iri.toString()) && !iri.toString().startsWith(
                        "https://json-schema.org/draft/")))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().regularExpressionFactory(BoundedRegex.FACTORY).build())));
    }

    private static SpecificationVersion draft(JsonNode schema) {
        JsonNode declared = schema.get("$schema");
        if (declared == null) {
            return SpecificationVersion.DRAFT_2020_12;
        }
        SpecificationVersion v = declared.isTextual() ? DRAFTS.get(declared.asText()) : null;
        if (v == null) {
            throw invalid("$schema may name draft 2020-12 (the default), 2019-09 or 7 only.");
        }
        return v;
    }

    /** Keywords whose subschemas apply to the same value, not to a part of it: a loop through them never ends. */
    private static final Set<String> SAME_VALUE = Set.of("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas",
            "$ref", "$dynamicRef", "$recursiveRef");

    /** Most subschemas one value may be checked against at one place (every branch of oneOf, anyOf, allOf, $ref...). */
    static final long MAX_BRANCHES = 2_000;

    /**
     * Refuses a schema whose references can lead back to where they started without descending into
     * the payload ({"$ref": "#"}, an allOf that refers to itself): the validator would recurse until
     * its stack overflowed, on every payload; and one whose alternatives multiply at one place (a chain
     * of oneOf over two references to the next link): 22 links are four million subschemas per value,
     * enough to run the server out of memory. Every subschema of the document is a starting point,
     * since any of them may apply to some part of a payload.
     */
    static void noEndlessReferences(JsonNode root) {
        java.util.Map<JsonNode, Long> cost = new java.util.IdentityHashMap<>();
        java.util.Deque<JsonNode> all = new java.util.ArrayDeque<>();
        all.push(root);
        while (!all.isEmpty()) {
            JsonNode n = all.pop();
            if (n.isObject()) {
                visit(root, n, cost, "");
            }
            if (n.isContainerNode()) {
                n.elements().forEachRemaining(all::push);
            }
        }
    }

    /** @return how many subschemas checking one value against {@code schema} visits; -1 marks one being visited */
    private static long visit(JsonNode root, JsonNode schema, java.util.Map<JsonNode, Long> cost, String at) {
        if (schema == null || !schema.isObject()) {
            return 1;
        }
        Long known = cost.get(schema);
        if (known != null && known < 0) {
            throw invalid((at.isEmpty() ? "/" : at) + ": the schema refers to itself without descending into the payload, which never "
                    + "ends.");
        }
        if (known != null) {
            return known;
        }
        cost.put(schema, -1L);
        long total = 1;
        for (String k : SAME_VALUE) {
            JsonNode v = schema.get(k);
            if (v == null) {
                continue;
            }
            if (v.isTextual()) {
                total += visit(root, pointer(root, v.asText(), at + "/" + k), cost, at + "/" + k);
            } else if (v.isArray()) {
                for (int i = 0; i < v.size(); i++) {
                    total += visit(root, v.get(i), cost, at + "/" + k + "/" + i);
                }
            } else if (k.equals("dependentSchemas") && v.isObject()) {
                for (java.util.Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    total += visit(root, e.getValue(), cost, at + "/" + k + "/" + e.getKey());
                }
            } else {
                total += visit(root, v, cost, at + "/" + k);
            }
            if (total > MAX_BRANCHES) {
                throw invalid((at.isEmpty() ? "/" : at) + ": one value would be checked against more than " + MAX_BRANCHES
                        + " subschemas (oneOf, anyOf, allOf and references multiply); simplify the schema.");
            }
        }
        cost.put(schema, total);
        return total;
    }

    /** @return the node a local reference names ("#" or a JSON pointer "#/..."); a named anchor is refused */
    private static JsonNode pointer(JsonNode root, String ref, String at) {
        if (ref.equals("#")) {
            return root;
        }
        if (!ref.startsWith("#/")) {
            throw invalid(at + ": only references by JSON pointer (\"#/$defs/...\") are allowed.");
        }
        JsonNode n = root.at(ref.substring(1));
        if (n.isMissingNode()) {
            throw invalid(at + ": the reference " + ref + " points nowhere in the schema.");
        }
        return n;
    }

    /** Refuses what could make the validator load anything: remote, file or class-path references and base changes. */
    private static void fence(JsonNode node, String at) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String k = f.getKey();
                if (REF_KEYS.contains(k) && !(f.getValue().isTextual() && f.getValue().asText().startsWith("#"))) {
                    throw invalid(at + "/" + k + ": only references inside the schema (\"#/$defs/...\") are allowed.");
                }
                if (k.equals("$id") || k.equals("id") && f.getValue().isTextual() && at.isEmpty()) {
                    throw invalid(at + "/" + k + ": a category's schema has no $id (it is identified by the category).");
                }
                fence(f.getValue(), at + "/" + k);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                fence(node.get(i), at + "/" + i);
            }
        }
    }

    private static boolean hasLoneSurrogate(JsonNode n) {
        if (n.isTextual()) {
            return lone(n.asText());
        }
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (lone(e.getKey()) || hasLoneSurrogate(e.getValue())) {
                return true;
            }
        }
        if (n.isArray()) {
            for (JsonNode x : n) {
                if (hasLoneSurrogate(x)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean lone(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(++i)))) {
                return true;
            }
            if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode parse(String text, dev.mamori.platform.error.ErrorCode code, String what) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new MamoriException(code, what + " is not valid JSON" + where + ": " + e.getOriginalMessage());
        }
    }

    private static String describe(List<Error> errors) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < Math.min(errors.size(), MAX_ERRORS_SHOWN); i++) {
            Error e = errors.get(i);
            if (i > 0) {
                b.append("; ");
            }
            b.append(e.getInstanceLocation()).append(": ").append(e.getMessage());
        }
        if (errors.size() > MAX_ERRORS_SHOWN) {
            b.append("; and ").append(errors.size() - MAX_ERRORS_SHOWN).append(" more");
        }
        return b.toString();
    }

    private static MamoriException invalid(String message) {
        return new MamoriException(RecordErrors.INVALID_CATEGORY, message);
    }

    /** The library reads its meta-schemas from its own bundle, whichever thread calls it. */
    private static <T> T withLibraryLoader(Supplier<T> work) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(SchemaRegistry.class.getClassLoader());
        try {
            return work.get();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    /** Thrown when a pattern used up its budget. */
    static final class RegexBudgetExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RegexBudgetExceeded() {
            super("regular expression budget exceeded", null, false, false);
        }
    }

    /** java.util.regex over a character sequence that counts its reads (ECMA-262 patterns as the JDK reads them). */
    static final class BoundedRegex implements RegularExpression {
        static final RegularExpressionFactory FACTORY = BoundedRegex::new;
        private final Pattern pattern;

        BoundedRegex(String regex) {
            try {
                this.pattern = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("pattern '" + regex + "' is not a regular expression: " + e.getDescription());
            }
        }

        @Override
        public boolean matches(String value) {
            return pattern.matcher(new Budgeted(value, REGEX_BUDGET)).find();
        }
    }

    /** A string whose characters may be read a bounded number of times. */
    static final class Budgeted implements CharSequence {
        private final String s;
        private final long[] left;

        Budgeted(String s, long budget) {
            this(s, new long[] {budget});
        }

        private Budgeted(String s, long[] left) {
            this.s = s;
            this.left = left;
        }

        @Override
        public int length() {
            return s.length();
        }

        @Override
        public char charAt(int index) {
            if (--left[0] < 0) {
                throw new RegexBudgetExceeded();
            }
            return s.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(s.substring(start, end), left);
        }

        @Override
        public String toString() {
            return s;
        }
    }
}
