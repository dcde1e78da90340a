package dev.mamori.vault.internal;

import java.util.Map;
import java.util.function.Function;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;

import dev.mamori.platform.db.Transactions;

/** The vault's two stores: key tables on {@code mamori}, person keys on the separate {@code mamori-pii} (CRY-4). */
final class VaultStores {
    private final EntityManagerFactory main;
    private final EntityManagerFactory pii;

    VaultStores(EntityManagerFactory main, EntityManagerFactory pii) {
        this.main = main;
        this.pii = pii;
    }

    /**
     * One transaction on the main store, in a unit of work of its own: key changes happen under the
     * vault's lock and must be there for every other thread when it is released, whatever the
     * caller's unit does (their events commit with them).
     */
    <T> T tx(Function<EntityManager, T> work) {
        return Transactions.independent(main, Map.of(), work);
    }

    /** One transaction on the PII store, in a unit of work of its own (see {@link #tx}). */
    <T> T piiTx(Function<EntityManager, T> work) {
        return Transactions.independent(pii, Map.of(), work);
    }
}
