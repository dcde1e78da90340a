package dev.mamori.itests.plugin;

import java.util.Map;

import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;

import dev.mamori.rest.spi.RestConstants;

/** The plugin's own mapper for its own error: 418, so a test can tell it was this mapper and not the built-in one. */
@Component(service = ExceptionMapper.class, property = RestConstants.EXTENSION + "=true")
public class PluginExceptionMapper implements ExceptionMapper<PluginRefusedException> {
    @Override
    public Response toResponse(PluginRefusedException e) {
        return Response.status(418).type(RestConstants.PROBLEM_JSON).entity(Map.of("type", "urn:mamori:problem:" + e.code(),
                "title", "Refused by the test plugin", "status", 418, "detail", e.getMessage())).build();
    }
}
