package dev.mamori.records.internal;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.mamori.platform.error.MamoriException;
import dev.mamori.records.RecordErrors;

/** Checks of the plain fields of records and categories: names, subjects, scopes, labels, ids, cursors. */
final class Fields {
    static final Pattern CATEGORY = Pattern.compile("[a-z][a-z0-9-]{0,39}");
    /** As the auth capability writes employee numbers (IAM-3). */
    static final Pattern SUBJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,63}");
    /** Scope segments as permissions have them; the category is the first of at most six. */
    static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}(/[A-Za-z0-9._-]{1,64}){0,4}");
    static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,63}");
    static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final int MAX_LABELS = 20;

    private Fields() {
    }

    static String category(String name, dev.mamori.platform.error.ErrorCode code) {
        if (name == null || !CATEGORY.matcher(name).matches()) {
            throw new MamoriException(code, "A category name is 1-40 characters of a-z, 0-9 and '-', starting with a letter "
                    + "(e.g. health-checkup).");
        }
        return name;
    }

    static String subject(String subject) {
        if (subject == null || !SUBJECT.matcher(subject).matches()) {
            throw invalid("subject: the person's employee number, 1-64 characters of letters, digits, '.', '_', '/', '-'.");
        }
        return subject;
    }

    static String scope(String scope) {
        if (scope == null || scope.isEmpty()) {
            return null;
        }
        if (!SCOPE.matcher(scope).matches() || (("/" + scope + "/").contains("/./") || ("/" + scope + "/").contains("/../"))) {
            throw invalid("scope: up to five '/'-separated segments of letters, digits, '.', '_', '-' (e.g. dept/sales); "
                    + "no '.' or '..' segment.");
        }
        return scope;
    }

    static Set<String> labels(Set<String> labels) {
        if (labels.size() > MAX_LABELS) {
            throw invalid("labels: at most " + MAX_LABELS + ".");
        }
        Set<String> out = new TreeSet<>();
        for (String l : labels) {
            if (l == null || !LABEL.matcher(l).matches()) {
                throw invalid("labels: each 1-64 characters of letters, digits, '.', '_', '/', '-'.");
            }
            out.add(l);
        }
        return out;
    }

    /** @return whether it can be a record id at all (anything else is simply not found) */
    static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    static MamoriException invalid(String message) {
        return new MamoriException(RecordErrors.INVALID_RECORD, message);
    }
}
