package dev.mamori.rest.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PathsTest {
    @Test
    @DisplayName("EXT-1: a request waits for a resource whose @Path template its path starts with; variables match the rest")
    void matching() {
        Paths users = Paths.of("/users");
        assertTrue(users.matches(Paths.segments("/users")));
        assertTrue(users.matches(Paths.segments("/users/42/roles")));
        assertFalse(users.matches(Paths.segments("/usersx")));
        assertFalse(users.matches(Paths.segments("/me")));
        Paths variable = Paths.of("tenants/{id}");
        assertTrue(variable.matches(Paths.segments("/tenants/acme/state")));
        assertFalse(variable.matches(Paths.segments("/tenants")));
        assertTrue(Paths.of("/").matches(Paths.segments("/anything")));
        assertFalse(Paths.of(Object.class).matches(Paths.segments("/anything")), "no @Path, no paths");
    }
}
