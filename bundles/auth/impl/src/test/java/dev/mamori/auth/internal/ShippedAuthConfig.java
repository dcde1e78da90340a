package dev.mamori.auth.internal;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.params.provider.Arguments;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.mamori.auth.internal.password.LockoutPolicy;
import dev.mamori.auth.internal.session.SessionPolicy;

/**
 * The two configurations an installation runs the auth components with: {@link AuthConfig}'s own
 * defaults (no configuration at all) and the features' shipped {@code <config name="dev.mamori.auth">}
 * block, read from {@code features/src/main/feature/feature.xml} (the path comes from the system
 * property {@value #FEATURE_XML_PROPERTY}, which the module's pom sets; otherwise relative to the
 * module, as when run from an IDE). Public so the policy tests of other packages can ask what the
 * components build.
 */
public final class ShippedAuthConfig {
    /** System property naming the features file. */
    public static final String FEATURE_XML_PROPERTY = "mamori.feature.xml";
    private static final String RELATIVE = "../../../features/src/main/feature/feature.xml";

    private ShippedAuthConfig() {
    }

    /** @return the configuration DS hands the components when none is set: the annotation's defaults */
    public static AuthConfig defaults() {
        return proxy("AuthConfig(defaults)", m -> {
            Object d = m.getDefaultValue();
            if (d == null) {
                throw new IllegalStateException("AuthConfig." + m.getName() + " has no default");
            }
            return d;
        });
    }

    /** @return the configuration the features ship, converted as DS converts it */
    public static AuthConfig shipped() {
        Map<String, String> p = shippedProperties();
        return proxy("AuthConfig(feature.xml)", m -> {
            String v = p.get(propertyName(m));
            if (v == null) {
                throw new IllegalStateException("feature.xml has no " + propertyName(m));
            }
            Class<?> t = m.getReturnType();
            if (t == int.class) {
                return Integer.parseInt(v.strip());
            }
            // a scalar where an array is declared becomes a one-element array (DS 112.8.2.1)
            return t == String[].class ? new String[] {v} : v;
        });
    }

    /** @return both, as JUnit arguments (name, configuration) */
    public static Stream<Arguments> both() {
        return Stream.of(Arguments.of("AuthConfig defaults", defaults()), Arguments.of("feature.xml", shipped()));
    }

    /** @return the lockout rules the Attempts component builds from the configuration */
    public static LockoutPolicy lockout(AuthConfig c) {
        // the constructor only reads the configuration; store, sessions and events are not touched
        return new Attempts(null, null, null, Clock.systemUTC(), c).lockout(Space.of("any-tenant"));
    }

    /** @return the session lifetimes the Sessions component builds from the configuration */
    public static SessionPolicy sessions(AuthConfig c) {
        return Sessions.policy(c);
    }

    /** @return the shipped block's properties, by property name */
    public static Map<String, String> shippedProperties() {
        Path xml = featureXml();
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            NodeList configs = f.newDocumentBuilder().parse(xml.toFile()).getElementsByTagNameNS("*", "config");
            for (int i = 0; i < configs.getLength(); i++) {
                Element e = (Element) configs.item(i);
                if (AuthConfig.PID.equals(e.getAttribute("name"))) {
                    Properties props = new Properties();
                    props.load(new StringReader(e.getTextContent()));
                    Map<String, String> out = new TreeMap<>();
                    props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k)));
                    return out;
                }
            }
        } catch (IOException | javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IllegalStateException("Cannot read " + xml, e);
        }
        throw new IllegalStateException(xml + " has no <config name=\"" + AuthConfig.PID + "\">");
    }

    /** @return the configuration property an attribute reads (DS 112.8.2.2: '_' is '.', '__' is '_') */
    public static String propertyName(Method m) {
        return m.getName().replace("__", "\0").replace('_', '.').replace('\0', '_');
    }

    private static Path featureXml() {
        String configured = System.getProperty(FEATURE_XML_PROPERTY);
        Path p = configured != null && !configured.isBlank() ? Path.of(configured) : Path.of(RELATIVE);
        if (!Files.isRegularFile(p)) {
            // fail, never skip: the test exists to read the shipped values
            throw new IllegalStateException("The features file is not at " + p.toAbsolutePath().normalize() + " (set -D"
                    + FEATURE_XML_PROPERTY + ")");
        }
        return p;
    }

    private interface Values {
        Object of(Method m);
    }

    private static AuthConfig proxy(String name, Values values) {
        return (AuthConfig) Proxy.newProxyInstance(AuthConfig.class.getClassLoader(), new Class<?>[] {AuthConfig.class},
                (proxy, m, args) -> {
                    switch (m.getName()) {
                        case "annotationType":
                            return AuthConfig.class;
                        case "toString":
                            return name;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            return values.of(m);
                    }
                });
    }
}
