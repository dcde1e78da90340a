package dev.mamori.itests;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Every operation of the API with path parameters, read from its own OpenAPI document, with each
 * parameter filled in turn by every identifier of another tenant the test knows (or by each value
 * of an enumerated parameter): the cross-tenant matrix that a new endpoint joins without anyone
 * adding it (issue #17).
 */
final class OpenApiMatrix {
    private static final Pattern PARAM = Pattern.compile("\\{([^}:]+)(:[^}]*)?}");

    /** One request to make: method, concrete path, and the path with the identifiers it holds. */
    record Probe(String method, String path, List<String> ids) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private OpenApiMatrix() {
    }

    /**
     * @param openApi    the document
     * @param foreignIds another tenant's identifiers (ids, names, slugs) to put in every parameter
     * @return every probe, and the same probe with each foreign identifier replaced by a fresh one
     */
    static List<Probe[]> probes(String openApi, List<String> foreignIds, List<List<String>> pairs,
            java.util.function.Function<String, String> fresh) throws Exception {
        JsonNode doc = new ObjectMapper().readTree(openApi);
        List<Probe[]> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> p = paths.next();
            List<String> names = new ArrayList<>();
            Matcher m = PARAM.matcher(p.getKey());
            while (m.find()) {
                names.add(m.group(1));
            }
            if (names.isEmpty()) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = p.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                if (!List.of("GET", "POST", "PUT", "DELETE", "PATCH").contains(method)) {
                    continue;
                }
                Map<String, List<String>> enums = new LinkedHashMap<>();
                List<String> free = new ArrayList<>();
                for (String name : names) {
                    List<String> enumerated = enumValues(op.getValue(), p.getValue(), name);
                    if (enumerated.isEmpty()) {
                        free.add(name);
                    } else {
                        enums.put(name, enumerated);
                    }
                }
                for (Map<String, String> assignment : assignments(free, enums, foreignIds, pairs)) {
                    String path = p.getKey();
                    String freshPath = p.getKey();
                    List<String> used = new ArrayList<>();
                    for (String name : names) {
                        String v = assignment.get(name);
                        boolean foreign = foreignIds.contains(v);
                        path = replace(path, name, v);
                        freshPath = replace(freshPath, name, foreign ? fresh.apply(v) : v);
                        if (foreign) {
                            used.add(v);
                        }
                    }
                    if (!used.isEmpty()) {
                        out.add(new Probe[] {new Probe(method, path, used), new Probe(method, freshPath, List.of())});
                    }
                }
            }
        }
        return out;
    }

    private static String replace(String path, String name, String value) {
        return path.replaceFirst("\\{" + Pattern.quote(name) + "(:[^}]*)?}", Matcher.quoteReplacement(
                java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static List<String> enumValues(JsonNode op, JsonNode pathItem, String name) {
        List<String> out = new ArrayList<>();
        for (JsonNode params : List.of(op.path("parameters"), pathItem.path("parameters"))) {
            for (JsonNode param : params) {
                if (name.equals(param.path("name").asText()) && "path".equals(param.path("in").asText())) {
                    param.path("schema").path("enum").forEach(e -> out.add(e.asText()));
                }
            }
        }
        return out;
    }

    /**
     * Free parameters get every foreign identifier (all of them the same one at a time, which is what
     * a one-parameter path needs) and, where there are two, each given pair; enumerated ones every value.
     */
    private static List<Map<String, String>> assignments(List<String> free, Map<String, List<String>> enums, List<String> foreignIds,
            List<List<String>> pairs) {
        List<Map<String, String>> frees = new ArrayList<>();
        for (String id : foreignIds) {
            Map<String, String> m = new LinkedHashMap<>();
            free.forEach(n -> m.put(n, id));
            frees.add(m);
        }
        if (free.size() == 2) {
            for (List<String> pair : pairs) {
                frees.add(new LinkedHashMap<>(Map.of(free.get(0), pair.get(0), free.get(1), pair.get(1))));
            }
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (Map<String, String> f : frees) {
            for (Map<String, String> e : cartesian(enums)) {
                Map<String, String> m = new LinkedHashMap<>(f);
                m.putAll(e);
                out.add(m);
            }
        }
        return out;
    }

    private static List<Map<String, String>> cartesian(Map<String, List<String>> values) {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String v : e.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(partial);
                    m.put(e.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }
}
