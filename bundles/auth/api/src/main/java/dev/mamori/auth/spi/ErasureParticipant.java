package dev.mamori.auth.spi;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Implemented by a capability that keeps data about people (records, their attachments), so that a
 * person's erasure (IAM-5, LEG-3) reaches it. Called in the erasure's unit of work, in the tenant's
 * context, after the person's key was destroyed and before the account is marked erased: throwing
 * fails the erasure (the account stays as it was but for its key; erasing again finishes it). The
 * auth configuration's {@code erasure.participants} names the participants without which no erasure
 * runs (a bundle being updated cannot be skipped).
 */
@ConsumerType
public interface ErasureParticipant {
    /** Service property naming the participant, e.g. {@code records}. */
    String NAME = "mamori.erasure.participant";

    /**
     * @param tenantId       the tenant (bound)
     * @param accountId      the person's account id: what pseudonymised data may still point to
     * @param employeeNumber the person's employee number before the erasure clears it, or null
     * @return what was done, as counts by a short name, e.g. {@code trashed} 3, {@code pseudonymised} 2
     */
    Map<String, Long> erase(String tenantId, String accountId, String employeeNumber);
}
