package dev.mamori.vault.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ServiceScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mamori.vault.SigningPublicKey;
import dev.mamori.vault.SigningPurpose;
import dev.mamori.vault.VaultSignature;
import dev.mamori.vault.VaultSigner;

/**
 * {@link VaultSigner}, one instance per bundle that uses it (bundle scope): the instance reads the
 * signing purposes its bundle declares in its manifest ({@link SigningPurpose#NAMESPACE}), and
 * signs for those only. A bundle cannot change its manifest at runtime, and an update gets a new
 * instance, so the declaration is the bundle's code, not a call anyone could make.
 */
@Component(service = VaultSigner.class, scope = ServiceScope.BUNDLE)
public class VaultSignerImpl implements VaultSigner {
    private static final Logger LOG = LoggerFactory.getLogger(VaultSignerImpl.class);

    private final SigningKeys keys;
    private final Set<SigningPurpose> declared;

    /**
     * @param keys    the signing keys
     * @param context gives the bundle that uses this instance
     */
    @Activate
    public VaultSignerImpl(@Reference SigningKeys keys, ComponentContext context) {
        this(keys, declaredBy(context.getUsingBundle()));
    }

    VaultSignerImpl(SigningKeys keys, Set<SigningPurpose> declared) {
        this.keys = keys;
        this.declared = Set.copyOf(declared);
    }

    /** The purposes a bundle declares; an invalid one is logged and ignored (it declares nothing). */
    static Set<SigningPurpose> declaredBy(Bundle bundle) {
        BundleRevision revision = bundle == null ? null : bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return Set.of();
        }
        List<Map<String, Object>> attributes = new ArrayList<>();
        for (BundleCapability c : revision.getDeclaredCapabilities(SigningPurpose.NAMESPACE)) {
            attributes.add(c.getAttributes());
        }
        return declared(attributes, bundle.getSymbolicName());
    }

    /** @param capabilities the attributes of each declared capability */
    static Set<SigningPurpose> declared(List<Map<String, Object>> capabilities, String bundle) {
        Set<SigningPurpose> out = new LinkedHashSet<>();
        for (Map<String, Object> attributes : capabilities) {
            Object value = attributes.get(SigningPurpose.ATTRIBUTE);
            Collection<?> names = value instanceof Collection ? (Collection<?>) value
                    : value instanceof String[] ? List.of((Object[]) value) : value == null ? List.of() : List.of(value);
            for (Object name : names) {
                if (name instanceof String && SigningPurpose.valid((String) name)) {
                    out.add(SigningPurpose.of((String) name));
                } else {
                    LOG.warn("Bundle {} declares an invalid signing purpose '{}'; it is ignored", bundle, name);
                }
            }
        }
        return out;
    }

    @Override
    public VaultSignature sign(String owner, SigningPurpose purpose, byte[] message) {
        return keys.sign(declared, owner, purpose, message);
    }

    @Override
    public boolean verify(String owner, SigningPurpose purpose, byte[] message, VaultSignature signature) {
        return keys.verify(owner, purpose, message, signature);
    }

    @Override
    public List<SigningPublicKey> publicKeys(String owner, SigningPurpose purpose) {
        return keys.publicKeys(owner, purpose);
    }

    @Override
    public Set<SigningPurpose> declaredPurposes() {
        return declared;
    }
}
