package dev.mamori.notification.internal;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.mamori.notification.Notice;
import dev.mamori.notification.NoticeService;
import dev.mamori.notification.NotificationErrors;
import dev.mamori.notification.NotificationEvents;
import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.event.MamoriEvent;

/** A user's own notices: the tenant and the reader come from the execution context, never from the request. */
@Component(service = NoticeService.class)
public class NoticeServiceImpl implements NoticeService {
    private static final Pattern ID = Pattern.compile("[0-9a-f-]{36}");
    private final NotificationCore core;

    /** @param core the notice store */
    @Activate
    public NoticeServiceImpl(@Reference NotificationCore core) {
        this.core = core;
    }

    @Override
    public List<Notice> mine(boolean unreadOnly, int limit) {
        Principal p = reader();
        String tenant = p.tenantId().orElseThrow();
        List<Notice> out = core.notices.list(tenant, p.id(), unreadOnly, Math.max(1, Math.min(200, limit)));
        core.events.publish(MamoriEvent.builder(NotificationEvents.NOTICES_READ).tenant(tenant).target("user", p.id())
                .detail("count", out.size()));
        return out;
    }

    @Override
    public Notice markRead(String id) {
        Principal p = reader();
        String tenant = p.tenantId().orElseThrow();
        if (id == null || !ID.matcher(id).matches()) {
            throw notFound();
        }
        return core.units.call(() -> {
            Notice n = core.notices.markRead(tenant, p.id(), id, core.clock.instant()).orElseThrow(NoticeServiceImpl::notFound);
            core.events.publish(MamoriEvent.builder(NotificationEvents.NOTICE_MARKED).tenant(tenant).target("notice", id)
                    .detail("template", n.template()));
            return n;
        });
    }

    private static Principal reader() {
        ExecutionContext ctx = ExecutionContext.require();
        Principal p = ctx.requirePrincipal(PrincipalKind.USER);
        if (p.tenantId().isEmpty() || !Objects.equals(p.tenantId().orElse(null), ctx.tenantId().orElse(null))) {
            throw new MamoriException(NotificationErrors.FORBIDDEN, "Notices are read by their own reader, in their own tenant.");
        }
        return p;
    }

    private static MamoriException notFound() {
        return new MamoriException(NotificationErrors.NO_SUCH_NOTICE, "No such notice.");
    }
}
