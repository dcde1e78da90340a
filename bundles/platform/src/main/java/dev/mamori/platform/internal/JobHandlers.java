package dev.mamori.platform.internal;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Constants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.platform.job.JobHandler;
import dev.mamori.platform.job.JobType;

/** The registered job handlers by type name: the best-ranked one runs a type. */
final class JobHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(JobHandlers.class);

    /** A registered handler and its properties. */
    record Handler(JobHandler<?, ?> handler, JobType<?, ?> type, String schedule, boolean perTenant, int ranking, long serviceId) {
        String name() {
            return type.name();
        }
    }

    // every registration, so that the next-best handler takes over when the best one leaves
    private final Map<JobHandler<?, ?>, Handler> registered = new ConcurrentHashMap<>();

    /** @return the handler added, or null if the registration was refused */
    Handler bind(JobHandler<?, ?> handler, Map<String, Object> props) {
        JobType<?, ?> type;
        try {
            type = handler.type();
        } catch (RuntimeException e) {
            LOG.error("Job handler {} declares no job type; ignored", handler.getClass().getName(), e);
            return null;
        }
        if (type == null) {
            LOG.error("Job handler {} declares no job type; ignored", handler.getClass().getName());
            return null;
        }
        Object schedule = props.get(JobHandler.SCHEDULE);
        Object scope = props.get(JobHandler.SCHEDULE_SCOPE);
        boolean perTenant = scope != null && "tenant".equals(scope.toString().trim());
        if (scope != null && !perTenant && !"platform".equals(scope.toString().trim())) {
            LOG.error("Job handler {} ({}): {} is 'platform' or 'tenant', not '{}'; ignored", handler.getClass().getName(), type,
                    JobHandler.SCHEDULE_SCOPE, scope);
            return null;
        }
        if (schedule != null && !schedule.toString().isBlank() && type.parameters() != JobType.None.class) {
            LOG.error("Job handler {} ({}): a schedule submits no parameters, so a scheduled type takes none (JobType.None); "
                    + "ignored", handler.getClass().getName(), type);
            return null;
        }
        Object ranking = props.get(Constants.SERVICE_RANKING);
        Object id = props.get(Constants.SERVICE_ID);
        Handler h = new Handler(handler, type, schedule == null || schedule.toString().isBlank() ? null : schedule.toString(), perTenant,
                ranking instanceof Integer ? (Integer) ranking : 0, id instanceof Number ? ((Number) id).longValue() : 0L);
        registered.put(handler, h);
        return h;
    }

    void unbind(JobHandler<?, ?> handler) {
        registered.remove(handler);
    }

    /** @return the best-ranked handler of a type (then the longest registered), or null */
    Handler get(String type) {
        Handler best = null;
        for (Handler h : registered.values()) {
            if (h.name().equals(type) && (best == null || h.ranking() > best.ranking()
                    || h.ranking() == best.ranking() && h.serviceId() < best.serviceId())) {
                best = h;
            }
        }
        return best;
    }

    boolean has(String type) {
        return get(type) != null;
    }

    /** @return the handler that runs each type */
    Collection<Handler> all() {
        Map<String, Handler> out = new java.util.TreeMap<>();
        for (Handler h : registered.values()) {
            out.putIfAbsent(h.name(), get(h.name()));
        }
        return out.values();
    }
}
