package dev.mamori.itests.plugin;

import java.util.LinkedHashMap;
import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Component;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.rest.spi.RestConstants;

/** A plugin's endpoint: says who the chain says is calling. */
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
}
