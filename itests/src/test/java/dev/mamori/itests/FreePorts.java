package dev.mamori.itests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers the tests start, so the suite runs beside a Mamori server on 8443/8101 (a
 * developer's) and beside a server a crashed run left behind.
 */
final class FreePorts {
    /**
     * Below Linux's ephemeral range (32768 and up), so no outgoing connection of this machine takes
     * the port between choosing it and the server binding it; above most fixed service ports.
     */
    private static final int LOW = 22000;
    private static final int HIGH = 32000;
    private static final Set<Integer> TAKEN = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** @return a port nothing listens on, on any address; never the same twice in this JVM */
    static int next() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (!TAKEN.contains(port) && bindable(port) && TAKEN.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOW + " and " + HIGH);
    }

    /** The wildcard bind fails if anything listens on the port, on IPv4 or IPv6. */
    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
