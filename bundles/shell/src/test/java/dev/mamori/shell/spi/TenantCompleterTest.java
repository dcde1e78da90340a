package dev.mamori.shell.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("OPS-1, EXT-1: one tenant completer for the commands of every bundle, fed by the tenant capability's CompletionSource")
class TenantCompleterTest {

    /** The line {@code mamori:user-list <typed>} with the cursor at its end. */
    private static CommandLine typing(String typed) {
        return new CommandLine() {
            @Override
            public int getCursorArgumentIndex() {
                return 1;
            }

            @Override
            public String getCursorArgument() {
                return typed;
            }

            @Override
            public int getArgumentPosition() {
                return typed.length();
            }

            @Override
            public String[] getArguments() {
                return new String[] {"mamori:user-list", typed};
            }

            @Override
            public int getBufferPosition() {
                return getBuffer().length();
            }

            @Override
            public String getBuffer() {
                return "mamori:user-list " + typed;
            }
        };
    }

    private static List<String> complete(TenantCompleter c, String typed) {
        List<String> candidates = new ArrayList<>();
        c.complete(null, typing(typed), candidates);
        List<String> out = new ArrayList<>();
        candidates.forEach(s -> out.add(s.strip()));
        return out;
    }

    @Test
    @DisplayName("the slugs the source gives, filtered by what is typed")
    void completesTheSourcesSlugs() {
        TenantCompleter c = new TenantCompleter();
        c.tenants = () -> List.of("acme", "acme-labs", "globex");
        assertEquals(List.of("acme", "acme-labs"), complete(c, "ac"));
        assertEquals(List.of("acme", "acme-labs", "globex"), complete(c, ""));
    }

    @Test
    @DisplayName("no source (the tenant bundle stopped or updating), or a failing one: nothing to complete, no error")
    void withoutASourceNothing() {
        TenantCompleter c = new TenantCompleter();
        assertEquals(List.of(), complete(c, "ac"));
        c.tenants = () -> {
            throw new IllegalStateException("tenant store down");
        };
        assertEquals(List.of(), complete(c, "ac"));
    }

    @Test
    @DisplayName("a Karaf shell service taking only the tenant kind of CompletionSource, optionally")
    void karafWiring() throws Exception {
        assertTrue(TenantCompleter.class.isAnnotationPresent(Service.class));
        Field f = TenantCompleter.class.getDeclaredField("tenants");
        Reference r = f.getAnnotation(Reference.class);
        assertEquals("(mamori.completion=tenant)", r.filter());
        assertTrue(r.optional());
    }
}
