package dev.mamori.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import dev.mamori.rest.spi.RestConstants;

/** Problem+json written by the servlets themselves, outside CXF, with the headers the chain would set. */
final class ServletProblems {
    private ServletProblems() {
    }

    /**
     * Writes a problem with the bound context's request id. Nothing caller-controlled (path,
     * headers) is echoed; code, title and detail are the caller's constants.
     */
    static void write(HttpServletRequest req, HttpServletResponse resp, int status, String code, String title,
            String detail) throws IOException {
        String id = Problems.currentRequestId();
        SecurityHeaders.ALWAYS.forEach(resp::setHeader);
        if (req.isSecure()) {
            resp.setHeader("Strict-Transport-Security", SecurityHeaders.HSTS);
        }
        if (id != null) {
            resp.setHeader(RestConstants.REQUEST_ID_HEADER, id);
        }
        resp.setStatus(status);
        resp.setContentType(RestConstants.PROBLEM_JSON);
        resp.setCharacterEncoding("UTF-8");
        String body = "{\"type\":\"urn:mamori:problem:" + json(code) + "\",\"title\":\"" + json(title) + "\",\"status\":"
                + status + ",\"detail\":\"" + json(detail) + "\"" + (id == null ? "" : ",\"requestId\":\"" + json(id) + "\"")
                + "}";
        resp.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
