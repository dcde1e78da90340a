package dev.mamori.auth.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

import dev.mamori.auth.spi.ErasureParticipant;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;

/**
 * The capabilities an erasure reaches ({@link ErasureParticipant} services by name) and those it
 * must reach ({@code erasure.participants}): an erasure with a required one missing is refused
 * before anything is destroyed.
 */
final class ErasureParticipants {
    private final Map<String, ErasureParticipant> participants = new ConcurrentSkipListMap<>();
    private volatile Set<String> required = Set.of();

    void require(String[] names) {
        required = Set.of(names);
    }

    void add(ErasureParticipant p, Map<String, Object> props) {
        Object name = props.get(ErasureParticipant.NAME);
        if (name instanceof String && !((String) name).isBlank()) {
            participants.put((String) name, p);
        }
    }

    void remove(ErasureParticipant p, Map<String, Object> props) {
        participants.remove(props.get(ErasureParticipant.NAME), p);
    }

    /** @return every participant running now, by name, if the required ones are among them */
    Map<String, ErasureParticipant> requireAll() {
        Map<String, ErasureParticipant> reached = new TreeMap<>(participants);
        for (String name : required) {
            if (!reached.containsKey(name)) {
                // the person's data kept there would outlive the erasure: refuse rather than skip it (fail closed)
                throw new MamoriException(PlatformErrors.BUSY, "The erasure needs '" + name + "', which is not running now; "
                        + "nothing was erased. Try again shortly.", null, Duration.ofSeconds(30));
            }
        }
        return reached;
    }

    /** @return what each participant did, as {@code <participant>.<what>} counts */
    static Map<String, Long> run(Map<String, ErasureParticipant> reached, String tenantId, String userId, String employeeNumber) {
        Map<String, Long> effects = new TreeMap<>();
        reached.forEach((name, p) -> p.erase(tenantId, userId, employeeNumber)
                .forEach((what, n) -> effects.merge(name + "." + what, n, Long::sum)));
        return effects;
    }
}
