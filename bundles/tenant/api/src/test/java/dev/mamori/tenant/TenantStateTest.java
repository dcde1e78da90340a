package dev.mamori.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lifecycle of TEN-2..TEN-4, written out here independently of the enum so that a changed
 * transition table fails a test.
 */
class TenantStateTest {

    /** The lifecycle as specified: each legal move, nothing else. */
    private static final Set<String> LEGAL = Set.of(
            "TRIAL->ACTIVE", "TRIAL->EXPIRED", "TRIAL->DELETED",
            "ACTIVE->EXPIRED", "ACTIVE->DELETED",
            "EXPIRED->ACTIVE", "EXPIRED->DELETED",
            "DELETED->PURGED");

    static Stream<Arguments> allPairs() {
        List<Arguments> out = new ArrayList<>();
        for (TenantState from : TenantState.values()) {
            for (TenantState to : TenantState.values()) {
                out.add(Arguments.of(from, to, LEGAL.contains(from + "->" + to)));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} -> {1} legal={2}")
    @MethodSource("allPairs")
    @DisplayName("TEN-2: canMoveTo allows exactly the specified transitions (all 25 pairs)")
    void canMoveTo(TenantState from, TenantState to, boolean legal) {
        assertEquals(legal, from.canMoveTo(to), from + " -> " + to);
        assertEquals(legal, from.allowedTargets().contains(to), "allowedTargets of " + from);
    }

    @Test
    @DisplayName("TEN-2: there are exactly five states, in lifecycle order")
    void states() {
        assertEquals(List.of("TRIAL", "ACTIVE", "EXPIRED", "DELETED", "PURGED"),
                Stream.of(TenantState.values()).map(Enum::name).collect(java.util.stream.Collectors.toList()));
    }

    @ParameterizedTest
    @EnumSource(TenantState.class)
    @DisplayName("TEN-2: no state may move to itself")
    void noSelfTransition(TenantState s) {
        assertFalse(s.canMoveTo(s));
    }

    @ParameterizedTest
    @EnumSource(TenantState.class)
    @DisplayName("TEN-2: only TRIAL and ACTIVE give users access; EXPIRED, DELETED, PURGED lock them out")
    void usersHaveAccess(TenantState s) {
        boolean expected = s == TenantState.TRIAL || s == TenantState.ACTIVE;
        assertEquals(expected, s.usersHaveAccess());
    }

    @Test
    @DisplayName("TEN-4: PURGED is final: no way out, and only DELETED leads into it")
    void purgedIsFinal() {
        assertTrue(TenantState.PURGED.allowedTargets().isEmpty());
        for (TenantState s : TenantState.values()) {
            assertFalse(TenantState.PURGED.canMoveTo(s));
            assertEquals(s == TenantState.DELETED, s.canMoveTo(TenantState.PURGED), s + " -> PURGED");
        }
    }

    @Test
    @DisplayName("TEN-4: DELETED can never be undone (no way back to a state with access)")
    void deletedIsIrreversible() {
        assertEquals(EnumSet.of(TenantState.PURGED), TenantState.DELETED.allowedTargets());
    }

    @Test
    @DisplayName("TEN-2: allowedTargets returns a copy a caller cannot use to change the lifecycle")
    void allowedTargetsIsACopy() {
        Set<TenantState> targets = TenantState.TRIAL.allowedTargets();
        targets.add(TenantState.PURGED);
        assertFalse(TenantState.TRIAL.canMoveTo(TenantState.PURGED));
    }
}
