package dev.mamori.auth.rest.internal;

/** Shared OpenAPI texts of the auth resources. */
final class Docs {
    /** The problem+json schema the REST server declares. */
    static final String PROBLEM = "#/components/schemas/Problem";
    static final String JSON = "application/json";

    private Docs() {
    }
}
