package dev.mamori.records.internal;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mamori.records.RecordDraft;

/**
 * Reads an import file into drafts, one row at a time (constant memory): CSV as HR systems and
 * spreadsheets write it (RFC 4180, a header row, UTF-8 with or without a byte order mark, or
 * Shift_JIS / Windows-31J), cells typed by the category schema's property types; or JSON Lines.
 * Every row that cannot become a draft is reported with its line and column, never its values.
 */
final class ImportRows {
    static final Set<String> SUBJECT_COLUMNS = new LinkedHashSet<>(List.of("subject", "employee_number", "社員番号"));
    static final String SCOPE = "scope";
    static final String LABELS = "labels";
    static final Charset WINDOWS_31J = Charset.forName("windows-31j");

    private ImportRows() {
    }

    /**
     * One row: a draft, or where and why it is not one.
     *
     * @param line   the file's line where the row starts (1 is the CSV header)
     * @param draft  the draft, or null
     * @param column the column (CSV) or member (JSON Lines) at fault, or null
     * @param error  why, or null
     */
    record Row(long line, RecordDraft draft, String column, String error) {
        static Row rejected(long line, String column, String error) {
            return new Row(line, null, column, error);
        }
    }

    /** @return the charset a request names; null for auto */
    static Charset charset(String name) {
        if (name == null || name.isBlank() || name.equalsIgnoreCase("auto")) {
            return null;
        }
        switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "utf-8":
            case "utf8":
                return StandardCharsets.UTF_8;
            case "shift_jis":
            case "sjis":
            case "windows-31j":
            case "cp932":
                // what Japanese Windows and Excel write as Shift_JIS is Windows-31J (NEC and IBM extensions)
                return WINDOWS_31J;
            default:
                return null;
        }
    }

    static boolean knownCharset(String name) {
        return name == null || name.isBlank() || name.equalsIgnoreCase("auto") || charset(name) != null;
    }

    /**
     * @param in       the file (closed here)
     * @param format   csv or jsonl
     * @param charset  how to decode; strict: a byte sequence that is not of it fails with {@link CharacterCodingException}
     * @param schema   the category's schema (property types for CSV cells)
     * @param sink     receives every row in order
     */
    static void read(InputStream in, String format, Charset charset, JsonNode schema, Consumer<Row> sink)
            throws IOException, CharacterCodingException {
        try (Reader reader = decoder(in, charset)) {
            if ("jsonl".equals(format)) {
                jsonLines(reader, sink);
            } else {
                csv(reader, schema, sink);
            }
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw (CharacterCodingException) e.getCause();
            }
            throw e;
        }
    }

    private static Reader decoder(InputStream raw, Charset charset) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw);
        if (charset.equals(StandardCharsets.UTF_8)) {
            in.mark(3);
            byte[] bom = in.readNBytes(3);
            if (!(bom.length == 3 && (bom[0] & 0xff) == 0xef && (bom[1] & 0xff) == 0xbb && (bom[2] & 0xff) == 0xbf)) {
                in.reset();
            }
        }
        return new BufferedReader(new InputStreamReader(in, charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)));
    }

    private static void csv(Reader reader, JsonNode schema, Consumer<Row> sink) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true)
                .setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW).setAllowMissingColumnNames(false).get();
        CSVParser parser;
        try {
            parser = CSVParser.builder().setReader(reader).setFormat(format).get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            sink.accept(Row.rejected(1, null, "The header row cannot be read: " + e.getMessage()));
            return;
        }
        try (parser) {
            List<String> header = parser.getHeaderNames();
            String subjectColumn = header.stream().filter(SUBJECT_COLUMNS::contains).findFirst().orElse(null);
            if (subjectColumn == null) {
                sink.accept(Row.rejected(1, null, "The header names no subject column: one of " + SUBJECT_COLUMNS + "."));
                return;
            }
            JsonNode properties = schema.path("properties");
            Iterator<CSVRecord> it = parser.iterator();
            while (true) {
                long line = parser.getCurrentLineNumber() + 1;
                CSVRecord r;
                try {
                    if (!it.hasNext()) {
                        return;
                    }
                    r = it.next();
                } catch (UncheckedIOException e) {
                    if (e.getCause() instanceof CharacterCodingException) {
                        throw e;
                    }
                    sink.accept(Row.rejected(line, null, "CSV syntax: " + e.getCause().getMessage()));
                    return;
                }
                if (r.size() != header.size()) {
                    sink.accept(Row.rejected(line, null, "This row has " + r.size() + " columns; the header has " + header.size() + "."));
                    continue;
                }
                sink.accept(csvRow(line, r, header, subjectColumn, properties));
            }
        }
    }

    private static Row csvRow(long line, CSVRecord r, List<String> header, String subjectColumn, JsonNode properties) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        String subject = null;
        String scope = null;
        Set<String> labels = Set.of();
        for (int i = 0; i < header.size(); i++) {
            String column = header.get(i);
            String cell = r.get(i);
            if (column.equals(subjectColumn)) {
                subject = cell.strip();
            } else if (column.equals(SCOPE)) {
                scope = cell.isBlank() ? null : cell.strip();
            } else if (column.equals(LABELS)) {
                labels = cell.isBlank() ? Set.of() : new LinkedHashSet<>(List.of(cell.strip().split("[ |;]+")));
            } else if (SUBJECT_COLUMNS.contains(column)) {
                return Row.rejected(line, column, "Two subject columns; keep one.");
            } else if (!cell.isEmpty()) {
                String type = type(properties.path(column));
                try {
                    payload.set(column, cell(cell, type));
                } catch (NumberFormatException | JsonProcessingException e) {
                    return Row.rejected(line, column, "Not " + ("array".equals(type) || "object".equals(type) ? "JSON" : "a " + type)
                            + " as the schema says.");
                }
            }
        }
        return new Row(line, new RecordDraft(null, subject, payload.toString(), scope, labels), null, null);
    }

    /** The JSON type a schema gives a property: its {@code type}, or the first non-null of a list; string otherwise. */
    private static String type(JsonNode property) {
        JsonNode t = property.path("type");
        if (t.isTextual()) {
            return t.asText();
        }
        if (t.isArray()) {
            for (JsonNode x : t) {
                if (!"null".equals(x.asText())) {
                    return x.asText();
                }
            }
        }
        return "string";
    }

    private static JsonNode cell(String cell, String type) throws JsonProcessingException {
        String c = cell.strip();
        switch (type) {
            case "integer":
                return JsonNodeFactory.instance.numberNode(new BigInteger(c));
            case "number":
                return JsonNodeFactory.instance.numberNode(new BigDecimal(c));
            case "boolean":
                if (c.equalsIgnoreCase("true") || c.equals("1")) {
                    return JsonNodeFactory.instance.booleanNode(true);
                }
                if (c.equalsIgnoreCase("false") || c.equals("0")) {
                    return JsonNodeFactory.instance.booleanNode(false);
                }
                throw new NumberFormatException(c);
            case "array":
            case "object":
                return PayloadSchemas.JSON.readTree(c);
            default:
                return JsonNodeFactory.instance.textNode(cell);
        }
    }

    private static void jsonLines(Reader reader, Consumer<Row> sink) throws IOException {
        BufferedReader lines = (BufferedReader) reader;
        long line = 0;
        String text;
        while ((text = lines.readLine()) != null) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            sink.accept(jsonRow(line, text));
        }
    }

    private static Row jsonRow(long line, String text) {
        JsonNode n;
        try {
            n = PayloadSchemas.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return Row.rejected(line, null, "Not valid JSON: " + e.getOriginalMessage());
        }
        if (!n.isObject()) {
            return Row.rejected(line, null, "A line is one JSON object: subject, scope, labels, payload.");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            String k = it.next().getKey();
            if (!Set.of("subject", "scope", "labels", "payload").contains(k)) {
                return Row.rejected(line, k, "Unknown member; a line has subject, scope, labels and payload.");
            }
        }
        if (!n.path("subject").isTextual()) {
            return Row.rejected(line, "subject", "The subject (employee number) is a string.");
        }
        if (!n.path("payload").isObject()) {
            return Row.rejected(line, "payload", "The payload is a JSON object.");
        }
        JsonNode scope = n.path("scope");
        if (!scope.isMissingNode() && !scope.isNull() && !scope.isTextual()) {
            return Row.rejected(line, "scope", "The scope is a string.");
        }
        Set<String> labels = new LinkedHashSet<>();
        JsonNode l = n.path("labels");
        if (!l.isMissingNode() && !l.isNull()) {
            if (!l.isArray()) {
                return Row.rejected(line, "labels", "The labels are an array of strings.");
            }
            for (JsonNode x : l) {
                if (!x.isTextual()) {
                    return Row.rejected(line, "labels", "The labels are an array of strings.");
                }
                labels.add(x.asText());
            }
        }
        return new Row(line, new RecordDraft(null, n.get("subject").asText(), n.get("payload").toString(),
                scope.isTextual() ? scope.asText() : null, labels), null, null);
    }
}
