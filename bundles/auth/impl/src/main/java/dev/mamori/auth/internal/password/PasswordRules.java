package dev.mamori.auth.internal.password;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import org.passay.CharacterRule;
import org.passay.DictionaryRule;
import org.passay.EnglishCharacterData;
import org.passay.LengthRule;
import org.passay.MessageResolver;
import org.passay.PasswordData;
import org.passay.PasswordValidator;
import org.passay.PropertiesMessageResolver;
import org.passay.Rule;
import org.passay.RuleResult;
import org.passay.UsernameRule;
import org.passay.dictionary.ArrayWordList;
import org.passay.dictionary.WordListDictionary;
import org.passay.dictionary.sort.ArraysSort;

import dev.mamori.auth.PasswordRejectedException;

/**
 * Checks a new password against a {@link PasswordPolicy} with Passay (IAM-6): length, upper and
 * lower case letters and digits (special characters if the policy asks), not containing the login
 * name or the e-mail address's local part (forwards or backwards, any case), not one of the
 * {@value #COMMON_COUNT} most common passwords, at most {@value PasswordHasher#MAX_BYTES} bytes.
 * Checked after NFKC normalisation, as {@link PasswordHasher} hashes. The messages never repeat the
 * password.
 */
public final class PasswordRules {
    /** How many common passwords the shipped list holds. */
    public static final int COMMON_COUNT = 30000;
    static final String COMMON_LIST = "/dev/mamori/auth/password/common-passwords.txt";
    // shorter names would forbid every password containing, say, "ab"
    private static final int MIN_NAME_LENGTH = 3;

    private final WordListDictionary common;
    private final MessageResolver messages;
    private final MessageResolver emailMessages;

    /** Loads the shipped list of common passwords. */
    public PasswordRules() {
        this.common = new WordListDictionary(new ArrayWordList(load(), false, new ArraysSort()));
        Properties p = messages("messages.properties");
        this.messages = new PropertiesMessageResolver(p);
        Properties e = new Properties();
        e.putAll(p);
        e.setProperty(UsernameRule.ERROR_CODE, p.getProperty("ILLEGAL_EMAIL"));
        e.setProperty(UsernameRule.ERROR_CODE_REVERSED, p.getProperty("ILLEGAL_EMAIL"));
        this.emailMessages = new PropertiesMessageResolver(e);
    }

    /**
     * @param policy   the rules that apply (the role's floor, tightened by the tenant)
     * @param password the new password
     * @param login    the account's login name
     * @param email    the account's e-mail address, or null
     * @throws PasswordRejectedException listing every rule the password breaks
     */
    public void check(PasswordPolicy policy, char[] password, String login, String email) {
        byte[] utf8 = PasswordHasher.normalised(password);
        int bytes = utf8.length;
        java.util.Arrays.fill(utf8, (byte) 0);
        String normalised = java.text.Normalizer.normalize(java.nio.CharBuffer.wrap(password), java.text.Normalizer.Form.NFKC);
        List<String> violations = new ArrayList<>();

        List<Rule> rules = new ArrayList<>();
        rules.add(new LengthRule(policy.minLength(), policy.maxLength()));
        rules.add(new CharacterRule(EnglishCharacterData.UpperCase, 1));
        rules.add(new CharacterRule(EnglishCharacterData.LowerCase, 1));
        rules.add(new CharacterRule(EnglishCharacterData.Digit, 1));
        if (policy.requireSpecial()) {
            rules.add(new CharacterRule(EnglishCharacterData.Special, 1));
        }
        if (login != null && login.length() >= MIN_NAME_LENGTH) {
            rules.add(new UsernameRule(true, true));
        }
        rules.add(new DictionaryRule(common));
        PasswordValidator validator = new PasswordValidator(messages, rules);
        RuleResult result = validator.validate(new PasswordData(login == null ? "" : login.toLowerCase(Locale.ROOT), normalised));
        if (!result.isValid()) {
            violations.addAll(distinct(validator.getMessages(result)));
        }
        String local = localPart(email);
        if (local != null && local.length() >= MIN_NAME_LENGTH && !local.equalsIgnoreCase(login)) {
            PasswordValidator byEmail = new PasswordValidator(emailMessages, new UsernameRule(true, true));
            RuleResult r = byEmail.validate(new PasswordData(local, normalised));
            if (!r.isValid()) {
                violations.addAll(distinct(byEmail.getMessages(r)));
            }
        }
        if (bytes > PasswordHasher.MAX_BYTES) {
            violations.add("A password is at most " + PasswordHasher.MAX_BYTES + " bytes in UTF-8 (bcrypt reads no more).");
        }
        if (!violations.isEmpty()) {
            throw new PasswordRejectedException(violations);
        }
    }

    private static List<String> distinct(List<String> messages) {
        List<String> out = new ArrayList<>();
        for (String m : messages) {
            if (!out.contains(m)) {
                out.add(m);
            }
        }
        return out;
    }

    private static String localPart(String email) {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        return (at > 0 ? email.substring(0, at) : email).toLowerCase(Locale.ROOT);
    }

    private static String[] load() {
        List<String> words = new ArrayList<>(COMMON_COUNT);
        try (InputStream in = PasswordRules.class.getResourceAsStream(COMMON_LIST)) {
            if (in == null) {
                throw new IllegalStateException("The common password list " + COMMON_LIST + " is missing from the bundle.");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null;) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    words.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the common password list", e);
        }
        return words.toArray(new String[0]);
    }

    private static Properties messages(String name) {
        Properties p = new Properties();
        try (InputStream in = PasswordRules.class.getResourceAsStream("/dev/mamori/auth/password/" + name)) {
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("The password rule messages are missing from the bundle.", e);
        }
        return p;
    }
}
