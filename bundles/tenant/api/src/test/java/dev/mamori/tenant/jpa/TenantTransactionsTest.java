package dev.mamori.tenant.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantException;

class TenantTransactionsTest {

    /** A context with nothing bound. */
    private static final TenantContext NO_CONTEXT = new TenantContext() {
        @Override
        public <T> T callAs(String idOrSlug, Supplier<T> work) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T callAsPlatform(String idOrSlug, String purpose, Supplier<T> work) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<String> currentTenantId() {
            return Optional.empty();
        }
    };

    @Test
    @DisplayName("TEN-1: inTenant without a bound tenant fails closed before touching the database")
    void inTenantWithoutContext() {
        AtomicInteger emfCalls = new AtomicInteger();
        EntityManagerFactory emf = (EntityManagerFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {EntityManagerFactory.class}, (p, m, a) -> {
                    emfCalls.incrementAndGet();
                    throw new AssertionError("EntityManagerFactory." + m.getName() + " must not be called");
                });
        TenantTransactions tx = new TenantTransactions(emf, NO_CONTEXT);
        AtomicInteger workCalls = new AtomicInteger();
        NoTenantContextException e = assertThrows(NoTenantContextException.class, () -> tx.inTenant(em -> workCalls.incrementAndGet()));
        assertEquals(NoTenantContextException.CODE, e.code());
        assertEquals(0, emfCalls.get());
        assertEquals(0, workCalls.get());
    }

    @Test
    @DisplayName("TEN-1: unwrap finds a typed tenant error buried in persistence exceptions")
    void unwrapFindsTenantException() {
        NoTenantContextException inner = new NoTenantContextException("none");
        RuntimeException wrapped = new PersistenceException("outer", new RuntimeException("middle", inner));
        assertSame(inner, TenantTransactions.unwrap(wrapped));
    }

    @Test
    @DisplayName("TEN-1: unwrap returns the exception itself when no tenant error is in the chain")
    void unwrapWithoutTenantException() {
        RuntimeException plain = new PersistenceException("x", new IllegalStateException("y"));
        assertSame(plain, TenantTransactions.unwrap(plain));
        TenantException direct = new TenantException("c", "m");
        assertSame(direct, TenantTransactions.unwrap(direct));
    }
}
