package dev.mamori.auth.rest.internal;

import java.lang.reflect.Method;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.auth.Authorizer;
import dev.mamori.rest.spi.RequiresPermission;
import dev.mamori.rest.spi.RestConstants;

/**
 * The permission slot: a method marked {@link RequiresPermission} (on itself or on its resource
 * class) runs only for a principal holding that permission (IAM-2, SEC-11), whichever bundle the
 * resource comes from. The services check again; this answers early and uniformly.
 */
@Component(service = ContainerRequestFilter.class, property = {
    RestConstants.SLOT + "=" + RestConstants.SLOT_PERMISSION, RestConstants.FILTER_NAME + "=" + PermissionFilter.NAME})
public class PermissionFilter implements ContainerRequestFilter {
    /** Its name, which {@code required.slots} asks for: {@code permission:auth-permission}. */
    public static final String NAME = "auth-permission";
    private final Authorizer authorizer;

    /** @param authorizer checks permissions */
    @Activate
    public PermissionFilter(@Reference Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        RequiresPermission p = required(request);
        if (p != null && p.anyScope()) {
            authorizer.checkInAnyScope(p.value());
        } else if (p != null) {
            authorizer.check(p.value());
        }
    }

    /** @return the method's permission, else its resource class's, else null */
    static RequiresPermission required(ContainerRequestContext request) {
        Method method = (Method) request.getProperty(RestConstants.RESOURCE_METHOD);
        RequiresPermission own = method == null ? null : method.getAnnotation(RequiresPermission.class);
        if (own != null) {
            return own;
        }
        Object resource = request.getProperty(RestConstants.RESOURCE_CLASS);
        return resource instanceof Class ? ((Class<?>) resource).getAnnotation(RequiresPermission.class) : null;
    }
}
