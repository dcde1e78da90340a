package dev.mamori.rest.internal;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Tracks whiteboard services by a property filter alone (resources, providers and filters
 * register under their own class names) and reports them to a listener. A change of properties
 * is reported as another {@link Listener#added}, which replaces what the listener holds for that
 * service id (its new slot or ranking), so the service is never missing in between.
 */
final class Whiteboard extends ServiceTracker<Object, Object> {

    /** Receives the services. */
    interface Listener {
        /** @param ref the service, new or with changed properties @param service its object */
        void added(ServiceReference<Object> ref, Object service);

        /** @param ref the service @param service its object */
        void removed(ServiceReference<Object> ref, Object service);
    }

    private final Listener listener;

    /**
     * @param context  the bundle context
     * @param filter   an LDAP filter on service properties
     * @param listener who hears of the services
     * @throws InvalidSyntaxException if the filter is malformed
     */
    Whiteboard(BundleContext context, String filter, Listener listener) throws InvalidSyntaxException {
        super(context, context.createFilter(filter), null);
        this.listener = listener;
    }

    @Override
    public Object addingService(ServiceReference<Object> ref) {
        Object service = super.addingService(ref);
        if (service != null) {
            listener.added(ref, service);
        }
        return service;
    }

    @Override
    public void modifiedService(ServiceReference<Object> ref, Object service) {
        listener.added(ref, service);
    }

    @Override
    public void removedService(ServiceReference<Object> ref, Object service) {
        listener.removed(ref, service);
        super.removedService(ref, service);
    }

    /** @param ref a service @return its id */
    static long id(ServiceReference<?> ref) {
        return (Long) ref.getProperty(Constants.SERVICE_ID);
    }

    /** @param ref a service @return its ranking; 0 when absent or not an Integer (OSGi core spec) */
    static int ranking(ServiceReference<?> ref) {
        Object r = ref.getProperty(Constants.SERVICE_RANKING);
        return r instanceof Integer ? (Integer) r : 0;
    }
}
