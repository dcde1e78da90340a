package dev.mamori.platform.config;

/**
 * Expands {@code ${name}} placeholders from system properties, as Karaf does in cfg files, for
 * defaults declared in configuration annotations (which Config Admin does not expand).
 */
public final class Placeholders {
    private Placeholders() {
    }

    /**
     * @param s text such as {@code ${karaf.data}/mamori/vault}
     * @return the text with every known placeholder replaced (unknown ones become empty); an
     *         unterminated placeholder is kept as it is
     */
    public static String expand(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int start = s.indexOf("${", i);
            int end = start < 0 ? -1 : s.indexOf('}', start);
            if (start < 0 || end < 0) {
                out.append(s, i, s.length());
                break;
            }
            out.append(s, i, start).append(System.getProperty(s.substring(start + 2, end), ""));
            i = end + 1;
        }
        return out.toString();
    }
}
