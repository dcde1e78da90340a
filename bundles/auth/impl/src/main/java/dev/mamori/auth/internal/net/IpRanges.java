package dev.mamori.auth.internal.net;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import dev.mamori.auth.AuthErrors;
import dev.mamori.auth.AuthException;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;

/**
 * An IP allow-list: IPv4 and IPv6 CIDR ranges (IAM-12, OPS-3), parsed and matched by the
 * {@code ipaddress} library. An empty list allows every address. IPv4 addresses that reach a
 * dual-stack listener as IPv4-mapped IPv6 ({@code ::ffff:192.0.2.1}) match IPv4 ranges.
 */
public final class IpRanges {
    /** Most ranges one list holds. */
    public static final int MAX_RANGES = 500;
    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowAll(false).allowMask(false).allowSingleSegment(false)
            .allowWildcardedSeparator(false)
            .getIPv4AddressParametersBuilder().allow_inet_aton(false).setRangeOptions(RangeParameters.NO_RANGE)
            .allowLeadingZeros(false).getParentBuilder()
            .getIPv6AddressParametersBuilder().allowZone(false).setRangeOptions(RangeParameters.NO_RANGE).getParentBuilder()
            .toParams();
    private final List<IPAddress> ranges;

    private IpRanges(List<IPAddress> ranges) {
        this.ranges = Collections.unmodifiableList(ranges);
    }

    /**
     * @param configured configuration values: each may hold several ranges separated by commas or
     *                   blanks (a {@code .cfg} line), blanks are ignored
     * @return the ranges
     */
    public static IpRanges fromConfig(String[] configured) {
        List<String> out = new java.util.ArrayList<>();
        for (String v : configured == null ? new String[0] : configured) {
            for (String part : (v == null ? "" : v).split("[,\\s]+")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return parse(out);
    }

    /**
     * @param cidrs ranges such as {@code 203.0.113.0/24}, {@code 2001:db8::/32}, or single addresses
     * @return the list
     * @throws AuthException {@code invalid-ip-range} naming the first bad entry
     */
    public static IpRanges parse(List<String> cidrs) {
        if (cidrs.size() > MAX_RANGES) {
            throw invalid("An allow-list holds at most " + MAX_RANGES + " ranges.");
        }
        List<IPAddress> out = new ArrayList<>();
        for (String c : cidrs) {
            String s = c == null ? "" : c.strip();
            IPAddress a;
            try {
                a = new IPAddressString(s, STRICT).toAddress();
            } catch (AddressStringException e) {
                throw invalid("'" + printable(s) + "' is not an IPv4 or IPv6 address or CIDR range.");
            }
            if (a.isPrefixed() && !a.isPrefixBlock()) {
                throw invalid("'" + s + "' has host bits set; the range is written " + a.toPrefixBlock() + ".");
            }
            out.add(canonical(a));
        }
        return new IpRanges(out);
    }

    /**
     * One written form per range, so that a list stores each range once: a single address without
     * its /32 or /128, an IPv4-mapped IPv6 address or range (prefix /96 or longer) as the IPv4 one
     * it stands for. Host bits set stay refused (above): {@code 10.0.0.5/8} may be a typo of
     * {@code 10.0.0.5}, and reading it as {@code 10.0.0.0/8} would widen the list by 16 million
     * addresses without a word.
     */
    private static IPAddress canonical(IPAddress a) {
        IPAddress c = a;
        if (c.isIPv6() && c.toIPv6().isIPv4Mapped() && (!c.isPrefixed() || c.getNetworkPrefixLength() >= 96)) {
            c = c.toIPv6().getEmbeddedIPv4Address();
        }
        if (c.isPrefixed() && c.getNetworkPrefixLength() == c.getBitCount()) {
            c = c.withoutPrefixLength();
        }
        return c;
    }

    /** @return whether the list is empty (everyone allowed) */
    public boolean unrestricted() {
        return ranges.isEmpty();
    }

    /** @return the ranges in canonical CIDR form */
    public List<String> canonical() {
        List<String> out = new ArrayList<>();
        for (IPAddress a : ranges) {
            out.add(a.toCanonicalString());
        }
        return out;
    }

    /**
     * @param ip a client address in text form (as the servlet container gives it)
     * @return whether the list allows it: always when empty, never for something that is not an address
     */
    public boolean allows(String ip) {
        if (ranges.isEmpty()) {
            return true;
        }
        Optional<IPAddress> a = address(ip);
        return a.isPresent() && ranges.stream().anyMatch(r -> r.contains(a.get()));
    }

    /**
     * @param ip an address in text form, possibly IPv6 in brackets or IPv4-mapped
     * @return the address (IPv4-mapped IPv6 as IPv4), or empty if it is none
     */
    /**
     * The key an address is throttled under (SEC-12): an IPv4 address itself, an IPv6 address its
     * /64 network — one subscriber usually holds a whole /64, and rotating through it must not
     * reset the count; anything unparseable is {@code unknown}.
     *
     * @param ip an address, or null
     * @return the throttle key
     */
    public static String throttleKey(String ip) {
        Optional<IPAddress> a = ip == null ? Optional.empty() : address(ip);
        if (a.isEmpty()) {
            return "unknown";
        }
        IPAddress addr = a.get();
        if (addr.isIPv6()) {
            if (addr.toIPv6().isIPv4Mapped()) {
                return addr.toIPv6().getEmbeddedIPv4Address().toCanonicalString();
            }
            return addr.toPrefixBlock(64).toCanonicalString();
        }
        return addr.toCanonicalString();
    }

    public static Optional<IPAddress> address(String ip) {
        if (ip == null) {
            return Optional.empty();
        }
        String s = ip.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        IPAddress a = new IPAddressString(s, STRICT).getAddress();
        if (a == null || a.isPrefixed()) {
            return Optional.empty();
        }
        if (a.isIPv6() && a.toIPv6().isIPv4Mapped()) {
            return Optional.of(a.toIPv6().getEmbeddedIPv4Address());
        }
        return Optional.of(a);
    }

    private static AuthException invalid(String message) {
        return new AuthException(AuthErrors.INVALID_IP_RANGE, message);
    }

    private static String printable(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "…" : s;
        return t.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f) ? t : "(unprintable)";
    }
}
