package dev.mamori.notification;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Incidents, for operators only (support and every tenant account are refused): opened, changed,
 * and told to every affected tenant's admins by e-mail and in-app. Every step is an audit event.
 */
@ProviderType
public interface IncidentService {
    /** @param incident what happened @return it, with its clocks running */
    Incident open(NewIncident incident);

    /**
     * @param id      the incident
     * @param version the version the operator saw (412 if it changed meanwhile)
     * @param change  what changes
     * @return it, changed
     */
    Incident update(String id, long version, IncidentChange change);

    /**
     * Queues the incident's notice (the first time) or a progress update (after it) to the admins of
     * every affected tenant, with the incident's current summary, cause and response and the
     * operator's message; each sent e-mail is evidence in the audit log.
     *
     * @param id      the incident
     * @param message what the operator adds (1-4,000 characters)
     * @return it, with its clocks after this notice
     */
    Incident notifyTenants(String id, String message);

    /**
     * As {@link #notifyTenants(String, String)}, only if the incident is still at {@code version}: a
     * request retried or sent twice tells no tenant twice.
     *
     * @param id      incident
     * @param version the version the operator read
     * @param message what the operators add
     * @return the incident after it (its version moved on)
     * @throws dev.mamori.platform.error.MamoriException {@code incident-changed} when it is at another version
     */
    Incident notifyTenants(String id, long version, String message);

    /**
     * @param id       the incident
     * @param tenantId operators: an affected tenant (id or slug); a tenant's admins: ignored, their own
     * @return the tenant's evidence pack
     * @throws dev.mamori.platform.error.MamoriException not found when the incident did not affect that tenant
     */
    EvidencePack evidence(String id, String tenantId);

    /** @param openOnly only those whose response runs @return incidents, newest discovery first */
    List<Incident> list(boolean openOnly);

    /** @param id the incident @return it, if it exists */
    Optional<Incident> find(String id);
}
