package dev.mamori.auth.rest.internal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The scoped permission a resource method needs; checked by the permission slot filter (IAM-2, SEC-11). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface RequiresPermission {
    /** @return a permission, e.g. {@code users:write} */
    String value();
}
