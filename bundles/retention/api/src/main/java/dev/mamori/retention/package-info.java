/**
 * Retention (TEN-3..5, RET-5): the tenant calendar — what happens to a tenant on which date, by
 * which rule — legal holds that stop it, and the plan of what it would do on a given date.
 */
@Export
@Version("1.0.0")
package dev.mamori.retention;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
