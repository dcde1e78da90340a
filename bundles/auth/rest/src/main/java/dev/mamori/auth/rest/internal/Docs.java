package dev.mamori.auth.rest.internal;

/** Shared OpenAPI texts of the auth resources. */
final class Docs {
    static final String JSON = "application/json";

    private Docs() {
    }
}
