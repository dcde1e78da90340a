package dev.mamori.itests.plugin;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Component;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.rest.spi.RequiresPermission;
import dev.mamori.rest.spi.RestConstants;

/**
 * A plugin's endpoints: who the chain says is calling, and a list that needs a permission, declared
 * with the exported annotation and enforced by the permission slot (no check of its own).
 */
@Component(service = PluginResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/it-plugin")
public class PluginResource {
    /** @return the caller as the execution context knows it */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> whoami() {
        ExecutionContext c = ExecutionContext.require();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("principal", c.principal().map(p -> p.kind() + ":" + p.id()).orElse("anonymous"));
        out.put("requestId", c.requestId());
        out.put("clientIp", c.clientIp().orElse(""));
        return out;
    }

    /** @return the caller's tenant; reached only with {@code users:read} */
    @GET
    @Path("/guarded")
    @RequiresPermission("users:read")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> guarded() {
        return Map.of("tenant", ExecutionContext.require().tenantId().orElse(""));
    }
}
