package dev.mamori.auth.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.Query;

import dev.mamori.tenant.TenantContext;

/**
 * The {@link AuthStore} seam with a record of the database work done through it: per transaction
 * the statements run, each as {@code read} or {@code write}, on the current thread while
 * {@link #recording} is set. What the auth code asks of the database, not how long it took.
 */
final class CountingAuthStore extends AuthStore {
    private static final Set<String> READS = Set.of("getResultList", "getSingleResult", "getResultStream", "find");
    private static final Set<String> WRITES = Set.of("executeUpdate", "persist", "merge", "remove");

    /** Each transaction: its statements in order ("read", "write"). */
    private final ThreadLocal<List<List<String>>> recording = new ThreadLocal<>();

    CountingAuthStore(EntityManagerFactory main, EntityManagerFactory pii, TenantContext tenants) {
        super(main, pii, tenants);
    }

    /** Records the transactions {@code work} runs on this thread. @return them */
    List<List<String>> record(Runnable work) {
        List<List<String>> txs = new ArrayList<>();
        recording.set(txs);
        try {
            work.run();
        } finally {
            recording.remove();
        }
        return txs;
    }

    @Override
    public <T> T tenant(Function<EntityManager, T> work) {
        return super.tenant(counted(work));
    }

    @Override
    public <T> T pii(Function<EntityManager, T> work) {
        return super.pii(counted(work));
    }

    @Override
    public <T> T global(Function<EntityManager, T> work) {
        return super.global(counted(work));
    }

    @Override
    public <T> T tenantNow(Function<EntityManager, T> work) {
        return super.tenantNow(counted(work));
    }

    @Override
    public <T> T globalNow(Function<EntityManager, T> work) {
        return super.globalNow(counted(work));
    }

    private <T> Function<EntityManager, T> counted(Function<EntityManager, T> work) {
        List<List<String>> txs = recording.get();
        if (txs == null) {
            return work;
        }
        return em -> {
            List<String> statements = new ArrayList<>();
            txs.add(statements);
            return work.apply(wrap(EntityManager.class, em, statements));
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> T wrap(Class<T> type, Object target, List<String> statements) {
        InvocationHandler h = (proxy, m, args) -> {
            String name = m.getName();
            if (READS.contains(name)) {
                statements.add("read");
            } else if (WRITES.contains(name)) {
                statements.add("write");
            }
            Object result;
            try {
                result = m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result == target) {
                return proxy;
            }
            // queries are counted when they run (setParameter and the like return the query itself)
            if (result instanceof Query && (name.startsWith("create") || name.startsWith("set"))) {
                Class<?> q = m.getReturnType().isInterface() ? m.getReturnType() : Query.class;
                return wrap(q, result, statements);
            }
            return result;
        };
        return (T) Proxy.newProxyInstance(CountingAuthStore.class.getClassLoader(), new Class<?>[] {type}, h);
    }
}
