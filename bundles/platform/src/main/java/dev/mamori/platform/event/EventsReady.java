package dev.mamori.platform.event;

import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Registered by the platform while every event listener the configuration requires (the audit
 * log) is registered, so that events can be published: a component that publishes as it starts
 * (a first-start bootstrap) references this service, as one that uses a schema references
 * {@link dev.mamori.platform.db.SchemaReady}, instead of failing its activation on
 * {@code event-listener-missing} and never running again.
 */
@ProviderType
public interface EventsReady {
    /** @return the names of the required listeners, all registered */
    Set<String> requiredListeners();
}
