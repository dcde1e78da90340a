package dev.mamori.tenant.jpa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.PlatformPurpose;
import dev.mamori.platform.db.Transactions;
import dev.mamori.tenant.NoTenantContextException;
import dev.mamori.tenant.TenantContext;
import dev.mamori.tenant.TenantErrors;
import dev.mamori.tenant.TenantException;

class TenantTransactionsTest {

    /** A context that only reads the execution context (the default methods). */
    private static final TenantContext CONTEXT = new TenantContext() {
        @Override
        public <T> T callAs(String idOrSlug, Supplier<T> work) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T callAsPlatform(String idOrSlug, PlatformPurpose purpose, Supplier<T> work) {
            throw new UnsupportedOperationException();
        }
    };

    /** An EntityManagerFactory that must never be used. */
    private static EntityManagerFactory untouchable(AtomicInteger calls) {
        return (EntityManagerFactory) Proxy.newProxyInstance(TenantTransactionsTest.class.getClassLoader(),
                new Class<?>[] {EntityManagerFactory.class}, (p, m, a) -> {
                    calls.incrementAndGet();
                    throw new AssertionError("EntityManagerFactory." + m.getName() + " must not be called");
                });
    }

    @Test
    @DisplayName("TEN-1: inTenant without a bound tenant fails closed before touching the database")
    void inTenantWithoutContext() {
        AtomicInteger emfCalls = new AtomicInteger();
        TenantTransactions tx = new TenantTransactions(untouchable(emfCalls), CONTEXT);
        AtomicInteger workCalls = new AtomicInteger();
        NoTenantContextException e = assertThrows(NoTenantContextException.class, () -> tx.inTenant(em -> workCalls.incrementAndGet()));
        assertEquals(NoTenantContextException.CODE, e.code());
        // a context without a tenant is no better
        assertThrows(NoTenantContextException.class,
                () -> ExecutionContext.system("test").call(() -> tx.inTenant(em -> workCalls.incrementAndGet())));
        assertEquals(0, emfCalls.get());
        assertEquals(0, workCalls.get());
    }

    @Test
    @DisplayName("TEN-1: an EntityManager for another tenant than the bound one is refused, whoever names it")
    void explicitTenantPropertyMustMatchTheContext() {
        AtomicInteger emfCalls = new AtomicInteger();
        EntityManagerFactory emf = untouchable(emfCalls);
        Map<String, Object> forB = Map.of(TenantScoped.CONTEXT_PROPERTY, "tenant-b");
        assertThrows(NoTenantContextException.class, () -> TenantTransactions.inTransaction(emf, forB, em -> 1));
        TenantException e = assertThrows(TenantException.class, () -> ExecutionContext.system("test").withTenant("tenant-a")
                .call(() -> TenantTransactions.inTransaction(emf, forB, em -> 1)));
        assertEquals(TenantErrors.CONTEXT_CONFLICT.code(), e.code());
        assertEquals(0, emfCalls.get());
    }

    @Test
    @DisplayName("TEN-1: a typed tenant error buried in persistence exceptions comes out unwrapped")
    void unwrapFindsTenantException() {
        NoTenantContextException inner = new NoTenantContextException("none");
        RuntimeException wrapped = new PersistenceException("outer", new RuntimeException("middle", inner));
        assertSame(inner, Transactions.unwrap(wrapped));
        RuntimeException plain = new PersistenceException("x", new IllegalStateException("y"));
        assertSame(plain, Transactions.unwrap(plain));
    }
}
