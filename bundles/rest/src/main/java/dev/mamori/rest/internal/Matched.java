package dev.mamori.rest.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Optional;

import org.apache.cxf.jaxrs.model.OperationResourceInfo;
import org.apache.cxf.message.Exchange;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.PhaseInterceptorChain;

/** The resource method CXF matched for the current request, for filters that read its annotations. */
final class Matched {
    private Matched() {
    }

    /** @return the matched operation; empty before matching or for an unmatched path */
    static Optional<OperationResourceInfo> operation() {
        Message m = PhaseInterceptorChain.getCurrentMessage();
        Exchange exchange = m == null ? null : m.getExchange();
        return Optional.ofNullable(exchange == null ? null : exchange.get(OperationResourceInfo.class));
    }

    /**
     * @param op   a matched operation
     * @param type an annotation that may sit on the method or on the resource class
     * @return the method's own, else the resource class's, else null
     */
    static <A extends Annotation> A annotation(OperationResourceInfo op, Class<A> type) {
        Method method = op.getMethodToInvoke();
        A own = method == null ? null : method.getAnnotation(type);
        if (own != null) {
            return own;
        }
        Class<?> resource = op.getClassResourceInfo().getServiceClass();
        return resource == null ? null : resource.getAnnotation(type);
    }
}
