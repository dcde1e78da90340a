package dev.mamori.records.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AttachmentResourceTest {
    @Test
    @DisplayName("SEC-3, SEC-8: a file name cannot end the Content-Disposition header, add a parameter or a line; UTF-8 names survive")
    void dispositionIsInert() {
        String d = AttachmentResource.disposition("evil\"; filename=\"x.html\r\nSet-Cookie: a=b");
        assertFalse(d.contains("\r") || d.contains("\n"), d);
        assertEquals(2, d.split(";").length - 1, "exactly the two parameters: " + d);
        assertTrue(d.startsWith("attachment; filename=\"evil__ filename=_x.html__Set-Cookie: a=b\""), d);
        assertEquals("attachment; filename=\"__ __.pdf\"; filename*=UTF-8''%E5%81%A5%E8%A8%BA%20%E7%B5%90%E6%9E%9C.pdf",
                AttachmentResource.disposition("健診 結果.pdf"));
    }
}
