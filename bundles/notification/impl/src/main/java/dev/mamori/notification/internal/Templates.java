package dev.mamori.notification.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Japanese and English texts of every notification. Values are filled in as text: a subject is
 * made one line after filling (SEC-8), the HTML part is the whole text escaped (SEC-5), so that
 * nothing an operator or a tenant typed becomes a header or markup.
 */
final class Templates {
    /** Templates this capability knows. */
    static final Set<String> NAMES = Set.of("incident.notice", "incident.update", "incident.alert", "announcement", "error.alert",
            "sla.alert");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9]*)\\}");
    private static final Pattern LABEL = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9]*)Label\\}");
    private static final int MAX_SUBJECT = 200;
    private final Properties en = load("en");
    private final Properties ja = load("ja");

    /** A message in one language. */
    record Rendered(Locale locale, String subject, String text, String html) {
    }

    /**
     * @param template a known template
     * @param locale   the recipient's language (Japanese or English; anything else is English)
     * @param values   the notification's values
     * @return the message
     */
    Rendered render(String template, Locale locale, Map<String, String> values) {
        Properties p = Locale.JAPANESE.getLanguage().equals(locale.getLanguage()) ? ja : en;
        Locale used = p == ja ? Locale.JAPANESE : Locale.ENGLISH;
        String unknown = p.getProperty("unknown");
        String subject = MailText.oneLine(fill(labels(p.getProperty(template + ".subject"), values, p), values, unknown), MAX_SUBJECT);
        String text = MailText.body(fill(labels(p.getProperty(template + ".text"), values, p), values, unknown));
        String html = "<!DOCTYPE html>\n<html lang=\"" + used.getLanguage() + "\"><head><meta charset=\"UTF-8\"><title>"
                + MailText.html(subject) + "</title></head><body><p>" + MailText.html(text).replace("\n\n", "</p>\n<p>").replace("\n", "<br>\n")
                + "</p></body></html>\n";
        return new Rendered(used, subject, text, html);
    }

    /**
     * {@code {xLabel}} becomes the template's own text {@code x.<value of x>} (a kind's name in the
     * recipient's language, say): template text, so it may hold placeholders the second pass fills;
     * values are never scanned again.
     */
    private static String labels(String pattern, Map<String, String> values, Properties p) {
        if (pattern == null) {
            throw new IllegalArgumentException("No such template");
        }
        Matcher m = LABEL.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            String label = v == null ? null : p.getProperty(m.group(1) + "." + v);
            m.appendReplacement(out, Matcher.quoteReplacement(label != null ? label : m.group()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String fill(String pattern, Map<String, String> values, String unknown) {
        if (pattern == null) {
            throw new IllegalArgumentException("No such template");
        }
        Matcher m = PLACEHOLDER.matcher(pattern);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(v == null || v.isBlank() ? unknown : v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** @return Japanese for {@code ja…}, English for {@code en…}, else the fallback */
    static Locale locale(String tag, Locale fallback) {
        if (tag == null || tag.isBlank()) {
            return fallback;
        }
        String lang = Locale.forLanguageTag(tag.strip().replace('_', '-')).getLanguage();
        return "ja".equals(lang) ? Locale.JAPANESE : "en".equals(lang) ? Locale.ENGLISH : fallback;
    }

    private static Properties load(String lang) {
        Properties p = new Properties();
        try (InputStream in = Templates.class.getResourceAsStream("/dev/mamori/notification/templates/" + lang + ".properties")) {
            if (in == null) {
                throw new IllegalStateException("Templates " + lang + " missing from the bundle");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String t : NAMES) {
            if (p.getProperty(t + ".subject") == null || p.getProperty(t + ".text") == null) {
                throw new IllegalStateException("Template " + t + " missing in " + lang);
            }
        }
        return p;
    }
}
