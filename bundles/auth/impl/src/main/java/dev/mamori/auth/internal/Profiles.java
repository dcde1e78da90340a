package dev.mamori.auth.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Base64;
import java.util.HexFormat;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import dev.mamori.auth.Profile;
import dev.mamori.auth.internal.store.ProfileEntity;
import dev.mamori.vault.KeyDestroyedException;
import dev.mamori.vault.VaultService;

/**
 * Personal data of accounts (IAM-4) on the PII store, encrypted with the person's key (CRY-4), and
 * the keyed blind index that finds an account by e-mail without storing the address in clear.
 */
@Component(service = Profiles.class)
public class Profiles {
    /** Blind index field of e-mail addresses. */
    static final String EMAIL_FIELD = "auth.user.email";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    private static final int VERSION = 1;

    private final AuthStore store;
    private final VaultService vault;

    /**
     * @param store persistence
     * @param vault where the person keys and the index key are
     */
    @Activate
    public Profiles(@Reference AuthStore store, @Reference VaultService vault) {
        this.store = store;
        this.vault = vault;
    }

    /**
     * @param p a profile from outside
     * @return the profile with its fields checked and trimmed (empty strings become null)
     */
    static Profile validate(Profile p) {
        if (p == null) {
            return Profile.EMPTY;
        }
        String name = text(p.fullName(), "full name", 200);
        String email = p.email() == null || p.email().isBlank() ? null : normaliseEmail(p.email());
        String location = text(p.location(), "location", 200);
        String zone = text(p.timeZone(), "time zone", 64);
        if (zone != null) {
            try {
                zone = ZoneId.of(zone).getId();
            } catch (DateTimeException e) {
                throw invalid("time zone '" + zone + "' is no IANA time zone id (e.g. Asia/Tokyo).");
            }
        }
        String locale = text(p.locale(), "locale", 35);
        if (locale != null) {
            try {
                locale = new Locale.Builder().setLanguageTag(locale).build().toLanguageTag();
            } catch (IllformedLocaleException e) {
                throw invalid("locale '" + locale + "' is no BCP 47 language tag (e.g. ja-JP).");
            }
        }
        return new Profile(name, email, location, zone, locale);
    }

    /**
     * @param email an address as typed
     * @return the address trimmed, NFKC-normalised and in lower case
     */
    static String normaliseEmail(String email) {
        String n = Normalizer.normalize(email.strip(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        if (n.length() > 254 || !EMAIL.matcher(n).matches()) {
            throw invalid("'" + printable(email) + "' is no e-mail address.");
        }
        return n;
    }

    private static String text(String s, String what, int max) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String t = s.strip();
        if (t.length() > max || t.codePoints().anyMatch(Character::isISOControl)) {
            throw invalid(what + " must be at most " + max + " characters without control characters.");
        }
        return t;
    }

    /**
     * @param tenantId tenant (bound)
     * @param email    normalised address, or null
     * @return its blind index (hex), or null
     */
    String emailIndex(String tenantId, String email) {
        if (email == null) {
            return null;
        }
        return HexFormat.of().formatHex(vault.blindIndex(tenantId, EMAIL_FIELD, email.getBytes(StandardCharsets.UTF_8)));
    }

    /** Encrypts and stores (or replaces) the account's profile. */
    void save(String tenantId, String userId, Profile p, Instant now) {
        byte[] blob = vault.encryptPersonal(tenantId, userId, encode(p), aad(tenantId, userId));
        String data = Base64.getEncoder().encodeToString(blob);
        store.pii(em -> {
            ProfileEntity e = em.find(ProfileEntity.class, userId);
            if (e == null) {
                e = new ProfileEntity();
                e.userId = userId;
                e.data = data;
                e.updatedAt = now;
                em.persist(e);
            } else {
                e.data = data;
                e.updatedAt = now;
            }
            return null;
        });
    }

    /** @return the decrypted profile; empty if there is none or the person was erased */
    Optional<Profile> load(String tenantId, String userId) {
        Optional<String> data = store.pii(em -> Optional.ofNullable(em.find(ProfileEntity.class, userId)).map(e -> e.data));
        if (data.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] plain = vault.decryptPersonal(tenantId, userId, Base64.getDecoder().decode(data.get()), aad(tenantId, userId));
            return Optional.of(decode(plain));
        } catch (KeyDestroyedException e) {
            return Optional.empty();
        }
    }

    /** Removes the stored profile row (after the key was destroyed). */
    void delete(String userId) {
        store.pii(em -> {
            ProfileEntity e = em.find(ProfileEntity.class, userId);
            if (e != null) {
                em.remove(e);
            }
            return null;
        });
    }

    /** Destroys the person's key: every blob of theirs becomes unreadable (IAM-5). */
    void erase(String tenantId, String userId) {
        vault.erasePerson(tenantId, userId, userId);
    }

    private static byte[] aad(String tenantId, String userId) {
        return ("mamori.auth.profile|" + tenantId + "|" + userId).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] encode(Profile p) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(out)) {
            d.writeByte(VERSION);
            for (String s : new String[] {p.fullName(), p.email(), p.location(), p.timeZone(), p.locale()}) {
                d.writeBoolean(s != null);
                if (s != null) {
                    d.writeUTF(s);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Profile decode(byte[] bytes) {
        try (DataInputStream d = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (d.readByte() != VERSION) {
                throw new IllegalStateException("unknown profile format");
            }
            String[] f = new String[5];
            for (int i = 0; i < f.length; i++) {
                f[i] = d.readBoolean() ? d.readUTF() : null;
            }
            return new Profile(f[0], f[1], f[2], f[3], f[4]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static AuthException invalid(String message) {
        return new AuthException(AuthErrors.INVALID_USER, message);
    }

    static String printable(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }
}
