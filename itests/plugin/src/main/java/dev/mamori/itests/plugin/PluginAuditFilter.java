package dev.mamori.itests.plugin;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;

import org.osgi.service.component.annotations.Component;

import dev.mamori.rest.spi.RestConstants;

/**
 * A stand-in filter in the audit slot, which no Mamori bundle fills yet: the container tests make
 * that slot required while the plugin is installed, and see the whole API close (503) once the
 * plugin is gone. It lets every request pass.
 */
@Component(service = ContainerRequestFilter.class, property = {
    RestConstants.SLOT + "=" + RestConstants.SLOT_AUDIT, RestConstants.FILTER_NAME + "=" + PluginAuditFilter.NAME})
public class PluginAuditFilter implements ContainerRequestFilter {
    /** Its filter name: the container tests require {@code audit:it-plugin-audit}. */
    public static final String NAME = "it-plugin-audit";

    @Override
    public void filter(ContainerRequestContext request) {
        // passes: being registered in the slot is the point
    }
}
