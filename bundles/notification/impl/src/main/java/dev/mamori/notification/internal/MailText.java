package dev.mamori.notification.internal;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import dev.mamori.notification.NotificationErrors;
import dev.mamori.platform.error.MamoriException;

/**
 * What typed text may become in a message (SEC-5, SEC-8): one line for headers (every line break,
 * control, format and line/paragraph separator character becomes a space, so nothing typed can end
 * a header and start another), HTML-escaped text for HTML, one plain address for a recipient.
 */
final class MailText {
    private MailText() {
    }

    /** @return the text on one line, at most {@code max} characters */
    static String oneLine(String s, int max) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max + 1));
        boolean space = false;
        for (int i = 0; i < s.length() && b.length() < max; ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean blank = Character.isWhitespace(cp) || Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                    || Character.getType(cp) == Character.LINE_SEPARATOR || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR
                    || Character.getType(cp) == Character.SURROGATE || Character.getType(cp) == Character.UNASSIGNED;
            if (blank) {
                space = b.length() > 0;
                continue;
            }
            if (space) {
                b.append(' ');
                space = false;
            }
            b.appendCodePoint(cp);
        }
        return b.toString();
    }

    /** @return body text: line breaks kept (as \n), other control and format characters dropped */
    static String body(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\r') {
                if (i < s.length() && s.charAt(i) == '\n') {
                    continue;
                }
                b.append('\n');
            } else if (cp == '\n' || cp == '\t') {
                b.appendCodePoint(cp);
            } else if (!Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT
                    && Character.getType(cp) != Character.SURROGATE) {
                b.appendCodePoint(cp);
            }
        }
        return b.toString();
    }

    /** @return the text with the five HTML-special characters escaped */
    static String html(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /**
     * @param s an address as configured or stored
     * @return it, if it is exactly one plain address (no name, no group, no list, no line break)
     * @throws MamoriException invalid otherwise
     */
    static String address(String s) {
        if (s == null || s.length() > 254 || !s.equals(oneLine(s, 254)) || s.indexOf(',') >= 0 || s.indexOf(';') >= 0
                || s.indexOf('<') >= 0 || s.indexOf(' ') >= 0 || s.indexOf('"') >= 0) {
            throw new MamoriException(NotificationErrors.INVALID_NOTIFICATION, "Not one plain e-mail address.");
        }
        try {
            InternetAddress a = new InternetAddress(s, true);
            a.validate();
            if (!s.equals(a.getAddress()) || a.isGroup()) {
                throw new AddressException("not plain");
            }
            return s;
        } catch (AddressException e) {
            throw new MamoriException(NotificationErrors.INVALID_NOTIFICATION, "Not one plain e-mail address.");
        }
    }

    /** @return at most {@code max} characters of one line */
    private static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern.compile("[^\\s<>\"'(),;:\\[\\]]+@[^\\s<>\"'(),;:\\[\\]]+");

    /** @return the text with every e-mail address in it replaced (an SMTP answer may echo the recipient) */
    static String withoutAddresses(String s) {
        return ADDRESS.matcher(s).replaceAll("<address>");
    }

    static String shorten(String s, int max) {
        return oneLine(s, max);
    }
}
