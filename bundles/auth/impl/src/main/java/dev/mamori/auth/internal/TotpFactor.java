package dev.mamori.auth.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.OptionalLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.MfaEnrolment;
import dev.mamori.auth.internal.mfa.QrCode;
import dev.mamori.auth.internal.mfa.Totp;
import dev.mamori.auth.internal.store.UserEntity;
import dev.mamori.auth.spi.MfaFactor;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.VaultService;

/**
 * The built-in second factor: TOTP (RFC 6238), its secret encrypted by the vault (IAM-11, IAM-14).
 * A code is accepted once: the accepted time step is stored with a conditional update, so two
 * nodes cannot both accept the same code.
 */
@Component(service = {MfaFactor.class, TotpFactor.class}, property = MfaFactor.FACTOR + "=" + TotpFactor.ID)
public class TotpFactor implements MfaFactor {
    /** Factor id. */
    public static final String ID = "totp";

    private final AuthStore store;
    private final VaultService vault;
    private final Clock clock;

    /**
     * @param store persistence
     * @param vault encrypts the secrets
     * @param clock the platform clock
     */
    @Activate
    public TotpFactor(@Reference AuthStore store, @Reference VaultService vault, @Reference Clock clock) {
        this.store = store;
        this.vault = vault;
        this.clock = clock;
    }

    @Override
    public boolean enrolled(String tenantId, String userId) {
        return store.tenant(em -> {
            UserEntity u = em.find(UserEntity.class, userId);
            return u != null && u.mfaSecret != null;
        });
    }

    @Override
    public boolean verify(String tenantId, String userId, String response) {
        UserEntity u = store.tenant(em -> em.find(UserEntity.class, userId));
        if (u == null || u.mfaSecret == null || response == null) {
            return false;
        }
        byte[] secret = decrypt(tenantId, userId, u.mfaSecret);
        OptionalLong step = Totp.verify(secret, response, clock.instant(), u.mfaLastStep);
        java.util.Arrays.fill(secret, (byte) 0);
        return step.isPresent() && claim(userId, u.mfaLastStep, step.getAsLong());
    }

    /** Records the step as used, unless another request did first. */
    private boolean claim(String userId, long last, long step) {
        int n = store.tenant(em -> em.createQuery(
                "UPDATE AuthUser u SET u.mfaLastStep = :step WHERE u.id = :id AND u.mfaLastStep < :step")
                .setParameter("step", step).setParameter("id", userId).executeUpdate());
        return n == 1;
    }

    /** Starts an enrolment: a new pending secret, replacing any earlier pending one. */
    MfaEnrolment begin(String tenantId, String userId, String issuer, String account) {
        byte[] secret = Totp.newSecret();
        try {
            String enc = encrypt(tenantId, userId, secret);
            store.tenant(em -> {
                UserEntity u = em.find(UserEntity.class, userId);
                u.mfaPending = enc;
                return null;
            });
            String uri = Totp.otpauthUri(issuer, account, secret);
            return new MfaEnrolment(Totp.base32(secret), uri, QrCode.png(uri));
        } finally {
            java.util.Arrays.fill(secret, (byte) 0);
        }
    }

    /** @return whether the code matches the pending secret, which then becomes the active one */
    boolean confirm(String tenantId, String userId, String code) {
        UserEntity u = store.tenant(em -> em.find(UserEntity.class, userId));
        if (u == null || u.mfaPending == null) {
            return false;
        }
        byte[] secret = decrypt(tenantId, userId, u.mfaPending);
        OptionalLong step = Totp.verify(secret, code, clock.instant(), 0);
        java.util.Arrays.fill(secret, (byte) 0);
        if (step.isEmpty()) {
            return false;
        }
        String pending = u.mfaPending;
        int n = store.tenant(em -> em.createQuery("UPDATE AuthUser u SET u.mfaSecret = u.mfaPending, u.mfaPending = NULL, "
                + "u.mfaLastStep = :step WHERE u.id = :id AND u.mfaPending = :p")
                .setParameter("step", step.getAsLong()).setParameter("id", userId).setParameter("p", pending).executeUpdate());
        return n == 1;
    }

    private String encrypt(String tenantId, String userId, byte[] secret) {
        return Base64.getEncoder().encodeToString(vault.encrypt(tenantId, KeyPurpose.RECORDS, secret, aad(tenantId, userId)));
    }

    private byte[] decrypt(String tenantId, String userId, String stored) {
        return vault.decrypt(tenantId, KeyPurpose.RECORDS, Base64.getDecoder().decode(stored), aad(tenantId, userId));
    }

    private static byte[] aad(String tenantId, String userId) {
        return ("mamori.auth.totp|" + tenantId + "|" + userId).getBytes(StandardCharsets.UTF_8);
    }
}
