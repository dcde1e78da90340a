package dev.mamori.auth.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.OptionalLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.MfaEnrolment;
import dev.mamori.auth.internal.mfa.QrCode;
import dev.mamori.auth.internal.mfa.Totp;
import dev.mamori.auth.internal.store.AccountEntity;
import dev.mamori.auth.spi.MfaFactor;
import dev.mamori.vault.KeyPurpose;
import dev.mamori.vault.VaultService;

/**
 * The built-in second factor: TOTP (RFC 6238), its secret encrypted by the vault (IAM-11, IAM-14).
 * A code is accepted once: the accepted time step is stored with a conditional update, so two
 * nodes cannot both accept the same code. A null tenant means a platform account.
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
        Space space = Space.of(tenantId);
        AccountEntity u = space.tx(store, em -> em.find(space.type(), userId));
        return u != null && u.mfaSecret != null;
    }

    @Override
    public boolean verify(String tenantId, String userId, String response) {
        Space space = Space.of(tenantId);
        AccountEntity u = space.tx(store, em -> em.find(space.type(), userId));
        if (u == null || u.mfaSecret == null || response == null) {
            return false;
        }
        byte[] secret = decrypt(space, userId, u.mfaSecret);
        OptionalLong step = Totp.verify(secret, response, clock.instant(), u.mfaLastStep);
        Arrays.fill(secret, (byte) 0);
        return step.isPresent() && claim(space, userId, step.getAsLong());
    }

    /** Records the step as used, unless another request did first. */
    private boolean claim(Space space, String userId, long step) {
        int n = space.tx(store, em -> em.createQuery(
                "UPDATE " + space.entity() + " u SET u.mfaLastStep = :step WHERE u.id = :id AND u.mfaLastStep < :step")
                .setParameter("step", step).setParameter("id", userId).executeUpdate());
        return n == 1;
    }

    /** Starts an enrolment: a new pending secret, replacing any earlier pending one. */
    MfaEnrolment begin(Space space, String userId, String issuer, String account) {
        byte[] secret = Totp.newSecret();
        try {
            String enc = encrypt(space, userId, secret);
            space.tx(store, em -> em.createQuery("UPDATE " + space.entity() + " u SET u.mfaPending = :p WHERE u.id = :id")
                    .setParameter("p", enc).setParameter("id", userId).executeUpdate());
            String uri = Totp.otpauthUri(issuer, account, secret);
            return new MfaEnrolment(Totp.base32(secret), uri, QrCode.png(uri));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** @return whether the code matches the pending secret, which then becomes the active one */
    boolean confirm(Space space, String userId, String code) {
        AccountEntity u = space.tx(store, em -> em.find(space.type(), userId));
        if (u == null || u.mfaPending == null || code == null) {
            return false;
        }
        byte[] secret = decrypt(space, userId, u.mfaPending);
        OptionalLong step = Totp.verify(secret, code, clock.instant(), 0);
        Arrays.fill(secret, (byte) 0);
        if (step.isEmpty()) {
            return false;
        }
        String pending = u.mfaPending;
        int n = space.tx(store, em -> em.createQuery("UPDATE " + space.entity() + " u SET u.mfaSecret = u.mfaPending, "
                + "u.mfaPending = NULL, u.mfaLastStep = :step WHERE u.id = :id AND u.mfaPending = :p")
                .setParameter("step", step.getAsLong()).setParameter("id", userId).setParameter("p", pending).executeUpdate());
        return n == 1;
    }

    private String encrypt(Space space, String userId, byte[] secret) {
        return space.withKeys(() -> Base64.getEncoder().encodeToString(
                vault.encrypt(space.keyOwner(), KeyPurpose.RECORDS, secret, aad(space, userId))));
    }

    private byte[] decrypt(Space space, String userId, String stored) {
        return space.withKeys(() -> vault.decrypt(space.keyOwner(), KeyPurpose.RECORDS, Base64.getDecoder().decode(stored),
                aad(space, userId)));
    }

    private static byte[] aad(Space space, String userId) {
        return ("mamori.auth.totp|" + space.keyOwner() + "|" + userId).getBytes(StandardCharsets.UTF_8);
    }
}
