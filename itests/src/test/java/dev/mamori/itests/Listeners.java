package dev.mamori.itests;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The TCP sockets one process listens on, IPv4 and IPv6, read from Linux's /proc: the process's
 * socket inodes (/proc/PID/fd) matched against the LISTEN rows of its network namespace's tables.
 * Unlike a connection attempt, this sees every address, and a filtered port cannot pass for a closed one.
 */
final class Listeners {
    private static final String LISTEN = "0A";

    private Listeners() {
    }

    /**
     * @return "address:port" per listening socket: IPv4 as a.b.c.d, IPv4-mapped IPv6 as its IPv4
     *         address, other IPv6 in brackets, and the wildcard (0.0.0.0 or ::) as "*"
     */
    static Set<String> of(long pid) throws IOException {
        Path proc = Paths.get("/proc", Long.toString(pid));
        if (!Files.isDirectory(proc.resolve("fd"))) {
            throw new IllegalStateException("cannot read " + proc + "/fd: this test needs Linux and the server's user");
        }
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listing
                }
            }
        }
        Set<String> out = new TreeSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            List<String> rows = Files.readAllLines(proc.resolve("net").resolve(table));
            for (String row : rows.subList(1, rows.size())) {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
                String[] f = row.trim().split("\\s+");
                if (LISTEN.equals(f[3]) && inodes.contains(f[9])) {
                    out.add(address(f[1]));
                }
            }
        }
        return out;
    }

    /** "0100007F:1FA5" → "127.0.0.1:8101"; the address is in 32-bit words of host (little-endian) order. */
    static String address(String hex) {
        String[] parts = hex.split(":");
        int port = Integer.parseInt(parts[1], 16);
        byte[] ip = new byte[parts[0].length() / 2];
        for (int word = 0; word < ip.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = (word * 4 + 3 - b) * 2;
                ip[word * 4 + b] = (byte) Integer.parseInt(parts[0].substring(at, at + 2), 16);
            }
        }
        return host(ip) + ":" + port;
    }

    private static String host(byte[] address) {
        byte[] ip = address.length == 16 && isV4Mapped(address) ? java.util.Arrays.copyOfRange(address, 12, 16) : address;
        boolean zero = true;
        for (byte b : ip) {
            zero &= b == 0;
        }
        if (zero) {
            return "*";
        }
        if (ip.length == 4) {
            return (ip[0] & 0xff) + "." + (ip[1] & 0xff) + "." + (ip[2] & 0xff) + "." + (ip[3] & 0xff);
        }
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 16; i += 2) {
            b.append(i == 0 ? "" : ":").append(Integer.toHexString(((ip[i] & 0xff) << 8) | (ip[i + 1] & 0xff)));
        }
        return b.append(']').toString();
    }

    private static boolean isV4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }
}
