package dev.mamori.auth.rest.internal;

import java.lang.reflect.Method;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.Authorizer;
import dev.mamori.rest.spi.RestConstants;

/**
 * The permission slot: a method marked {@link RequiresPermission} runs only for a principal holding
 * that permission (IAM-2, SEC-11). The services check again; this answers early and uniformly.
 */
@Component(service = ContainerRequestFilter.class, property = RestConstants.SLOT + "=" + RestConstants.SLOT_PERMISSION)
public class PermissionFilter implements ContainerRequestFilter {
    private final Authorizer authorizer;

    /** @param authorizer checks permissions */
    @Activate
    public PermissionFilter(@Reference Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = (Method) request.getProperty(RestConstants.RESOURCE_METHOD);
        RequiresPermission p = method == null ? null : method.getAnnotation(RequiresPermission.class);
        if (p != null) {
            authorizer.check(p.value());
        }
    }
}
