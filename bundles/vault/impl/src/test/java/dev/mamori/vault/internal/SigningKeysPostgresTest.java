package dev.mamori.vault.internal;

/** {@link SigningKeysTest} on fresh PostgreSQL databases (skipped without PostgreSQL, failing under -Dmamori.it.postgres=required). */
class SigningKeysPostgresTest extends SigningKeysTest {
    @Override
    boolean postgres() {
        return true;
    }
}
