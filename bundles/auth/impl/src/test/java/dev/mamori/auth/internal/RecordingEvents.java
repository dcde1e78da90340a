package dev.mamori.auth.internal;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.EventType;
import dev.mamori.platform.event.MamoriEvent;

/** The events seam as the platform provides it (synchronous, stamped with the clock and the context), recording every event. */
final class RecordingEvents implements EventPublisher {
    private final Clock clock;
    final List<MamoriEvent> all = new CopyOnWriteArrayList<>();

    RecordingEvents(Clock clock) {
        this.clock = clock;
    }

    /** An event type a required listener refuses (as the audit trail does when it cannot write), or null. */
    volatile EventType refuse;

    @Override
    public MamoriEvent publish(MamoriEvent.Builder event) {
        if (refuse != null && refuse.is(event.type())) {
            throw new dev.mamori.platform.error.MamoriException(dev.mamori.platform.error.PlatformErrors.EVENT_DELIVERY_FAILED,
                    "The action cannot be recorded now (test); nothing was done.");
        }
        MamoriEvent e = event.build(clock, ExecutionContext.current().orElse(null));
        all.add(e);
        return e;
    }

    /** @return the events of a type, in order */
    List<MamoriEvent> of(EventType type) {
        return all.stream().filter(e -> e.is(type)).collect(Collectors.toList());
    }

    /** @return the newest event of a type */
    MamoriEvent last(EventType type) {
        List<MamoriEvent> l = of(type);
        if (l.isEmpty()) {
            throw new AssertionError("no " + type + " event among " + all);
        }
        return l.get(l.size() - 1);
    }

    void clear() {
        all.clear();
    }
}
