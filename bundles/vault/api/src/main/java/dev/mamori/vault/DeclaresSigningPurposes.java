package dev.mamori.vault;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.annotation.bundle.Attribute;
import org.osgi.annotation.bundle.Capability;

/**
 * Declares, on any class of a bundle, the signing purposes that bundle signs for: bnd turns it
 * into the manifest capability {@code mamori.vault.signing;purpose:List<String>="..."} (see
 * {@link SigningPurpose}). The bundle's {@link VaultSigner} then signs for these purposes only.
 */
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.PACKAGE})
@Capability(namespace = SigningPurpose.NAMESPACE)
public @interface DeclaresSigningPurposes {
    /** @return the purposes, each valid for {@link SigningPurpose#of} */
    @Attribute(SigningPurpose.ATTRIBUTE)
    String[] value();
}
