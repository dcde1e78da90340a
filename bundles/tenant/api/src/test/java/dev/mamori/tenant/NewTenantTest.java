package dev.mamori.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NewTenantTest {

    @Test
    @DisplayName("TEN-6: a new tenant defaults to a trial in region jp")
    void defaults() {
        NewTenant t = NewTenant.builder("acme", "Acme").build();
        assertEquals("acme", t.slug());
        assertEquals("Acme", t.displayName());
        assertTrue(t.trial());
        assertEquals("jp", t.region());
        assertEquals("trial", t.plan());
        assertNull(t.trialEndsOn());
        assertNull(t.contractStart());
        assertNull(t.contractEnd());
    }

    @Test
    @DisplayName("TEN-8: paid(...) makes a non-trial tenant with its contract dates")
    void paid() {
        LocalDate start = LocalDate.of(2024, 4, 1);
        LocalDate end = LocalDate.of(2025, 3, 31);
        NewTenant t = NewTenant.builder("acme", "Acme").plan("gold").region("eu").paid(start, end).build();
        assertFalse(t.trial());
        assertEquals("gold", t.plan());
        assertEquals("eu", t.region());
        assertEquals(start, t.contractStart());
        assertEquals(end, t.contractEnd());
    }

    @Test
    @DisplayName("TEN-8: required fields cannot be null")
    void nulls() {
        assertThrows(NullPointerException.class, () -> NewTenant.builder(null, "x"));
        assertThrows(NullPointerException.class, () -> NewTenant.builder("x", null));
        assertThrows(NullPointerException.class, () -> NewTenant.builder("x", "y").plan(null));
        assertThrows(NullPointerException.class, () -> NewTenant.builder("x", "y").region(null));
        assertThrows(NullPointerException.class, () -> NewTenant.builder("x", "y").paid(null, null));
    }
}
