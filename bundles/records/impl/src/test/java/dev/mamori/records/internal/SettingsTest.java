package dev.mamori.records.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import dev.mamori.platform.error.MamoriException;

class SettingsTest {
    static RecordsConfig config(Map<String, Object> values) {
        return (RecordsConfig) Proxy.newProxyInstance(RecordsConfig.class.getClassLoader(), new Class<?>[] {RecordsConfig.class},
                (p, m, a) -> values.containsKey(m.getName()) ? values.get(m.getName()) : m.getDefaultValue());
    }

    @Test
    @DisplayName("SEC-3: attachment types as a .cfg line gives them (one comma-separated element), parameters cut; a type no check exists for is refused")
    void attachmentTypes() {
        Settings s = Settings.of(config(Map.of("attachment_types", new String[] {"application/pdf, Text/CSV;charset=utf-8"})));
        assertEquals(Set.of("application/pdf", "text/csv"), s.attachmentTypes());
        assertEquals(20L * 1024 * 1024, s.maxAttachmentBytes());
        assertEquals(Set.of("application/pdf", "image/jpeg", "image/png", "text/csv", "text/plain"), Settings.of(config(Map.of()))
                .attachmentTypes());
        MamoriException e = assertThrows(MamoriException.class, () -> Settings.of(config(Map.of("attachment_types",
                new String[] {"application/pdf,text/html"}))));
        assertTrue(e.getMessage().contains("text/html"), e.getMessage());
    }
}
