package dev.mamori.audit;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Errors the server logged since it started (AUD-5), counted per logger, for alerting operators
 * (the notification capability reads two snapshots and alerts on the difference). Read by operators
 * and the platform itself only ({@code forbidden} otherwise): messages may name hosts or data.
 */
@ProviderType
public interface LoggedErrors {
    /**
     * @return per logger name: how many ERROR or FATAL events, the last one's time and first line
     * @throws dev.mamori.platform.error.MamoriException {@code unauthenticated} without a principal,
     *                                                   {@code forbidden} for anyone but an operator or the platform
     */
    Map<String, ErrorCount> counts();

    /**
     * @return the same errors grouped by logger and message shape (see {@link ErrorGroup}); this
     *         default gives one group per logger, its shape the last message
     * @throws dev.mamori.platform.error.MamoriException as {@link #counts()}
     */
    default java.util.List<ErrorGroup> groups() {
        return counts().entrySet().stream().map(e -> new ErrorGroup(e.getKey(), e.getValue().message(), e.getValue().count(),
                e.getValue().last(), e.getValue().message())).toList();
    }
}
