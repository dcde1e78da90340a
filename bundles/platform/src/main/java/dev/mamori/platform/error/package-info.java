/**
 * The open error contract: every typed error is a {@link dev.mamori.platform.error.MamoriException}
 * with a stable {@link dev.mamori.platform.error.ErrorCode} and an
 * {@link dev.mamori.platform.error.ErrorKind}. REST maps the kind to a status and problem type,
 * the shell prints one line; neither knows any capability's exception classes.
 */
@Export
@Version("1.3.0")
package dev.mamori.platform.error;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
