/**
 * Records: a tenant's data about its people, keyed by employee number (IAM-3), each payload valid
 * against its category's JSON Schema and encrypted at rest under the tenant's records key (CRY-2);
 * deletion to the trash, restore within the trash period, purge (RET-1, RET-2). Every read and
 * write checks the caller's scoped permission ({@code records:<action>:<category>[/<scope>]},
 * IAM-2) and is an audit event.
 */
@Export
@Version("1.1.0")
package dev.mamori.records;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
