package dev.mamori.rest.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServletRequest;

/**
 * The API's own guarantee that it is reached over TLS only (CRY-1), whatever the container's
 * connectors are: a request that did not arrive over HTTPS is admitted only from a configured
 * TLS-terminating proxy that says, in {@code X-Forwarded-Proto}, that its client used HTTPS.
 * Anything else - no proxies configured, another address, a proxy reporting plain HTTP, a header
 * missing - is refused. Entries that are not IP literals or CIDR blocks (host names included: no
 * DNS lookups on the request path) are rejected when the configuration is read, so a typo trusts
 * nobody rather than everybody.
 */
final class TlsOnly {
    static final String FORWARDED_PROTO = "X-Forwarded-Proto";
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<Block> proxies;
    private final List<String> rejected;

    private TlsOnly(List<Block> proxies, List<String> rejected) {
        this.proxies = Collections.unmodifiableList(proxies);
        this.rejected = Collections.unmodifiableList(rejected);
    }

    /**
     * @param entries proxy addresses or CIDR blocks; a value may list several, separated by commas
     * @return the policy; {@link #rejected()} names the entries that were not understood
     */
    static TlsOnly of(String... entries) {
        List<Block> blocks = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (String value : entries == null ? new String[0] : entries) {
            if (value == null) {
                continue;
            }
            for (String e : value.split(",")) {
                String entry = e.trim();
                if (entry.isEmpty()) {
                    continue;
                }
                Block b = Block.parse(entry);
                if (b == null) {
                    bad.add(entry);
                } else {
                    blocks.add(b);
                }
            }
        }
        return new TlsOnly(blocks, bad);
    }

    /** @return entries that were neither an IP literal nor a CIDR block, and so trust nobody */
    List<String> rejected() {
        return rejected;
    }

    /** @return how many proxy blocks are trusted */
    int proxies() {
        return proxies.size();
    }

    /**
     * @param request the request
     * @return whether it arrived over TLS, directly or through a trusted TLS-terminating proxy
     */
    boolean admits(HttpServletRequest request) {
        if (request.isSecure()) {
            return true;
        }
        if (proxies.isEmpty() || !"https".equals(forwardedProto(request))) {
            return false;
        }
        byte[] remote = literal(request.getRemoteAddr());
        if (remote == null) {
            return false;
        }
        for (Block b : proxies) {
            if (b.contains(remote)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The value the nearest proxy set: the last one, of the last header line (a chain of proxies
     * appends; anything before the trusted proxy's own value came from further away).
     */
    static String forwardedProto(HttpServletRequest request) {
        Enumeration<String> values = request.getHeaders(FORWARDED_PROTO);
        String last = null;
        while (values != null && values.hasMoreElements()) {
            last = values.nextElement();
        }
        if (last == null) {
            return null;
        }
        String[] parts = last.split(",");
        return parts[parts.length - 1].trim().toLowerCase(Locale.ROOT);
    }

    /** @return the address bytes of an IP literal, or null for anything else (never a DNS lookup) */
    static byte[] literal(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        int zone = t.indexOf('%');
        if (zone >= 0) {
            t = t.substring(0, zone);
        }
        if (!IPV4.matcher(t).matches() && !IPV6.matcher(t).matches()) {
            return null;
        }
        if (IPV4.matcher(t).matches()) {
            for (String octet : t.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return null;
                }
            }
        }
        try {
            // a literal: parsed, not resolved; IPv4-mapped IPv6 comes back as the IPv4 address
            return InetAddress.getByName(t).getAddress();
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    /** One trusted address or CIDR block. */
    private static final class Block {
        private final byte[] network;
        private final int bits;

        private Block(byte[] network, int bits) {
            this.network = network;
            this.bits = bits;
        }

        static Block parse(String entry) {
            int slash = entry.indexOf('/');
            byte[] address = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (address == null) {
                return null;
            }
            int bits = address.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(entry.substring(slash + 1).trim());
                } catch (NumberFormatException e) {
                    return null;
                }
                if (bits < 0 || bits > address.length * 8) {
                    return null;
                }
            }
            return new Block(address, bits);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }
}
