package io.harperdb.operator.testing.pods;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Dns;

/**
 * The network of the test kubelet's pods: a loopback address each (in place of a pod's network
 * namespace), and the cluster DNS as a hosts file that every container sees as its {@code /etc/hosts}
 * (a private mount of it, so this machine's own file is never touched). The operator, running in the
 * test's JVM, resolves the same names through {@link #dns()}.
 */
public final class PodNetwork {
    private final String firstAddress;
    private final Path hostsFile;
    private final Map<String, String> addresses = new ConcurrentHashMap<>();
    private final Map<String, List<String>> names = new ConcurrentHashMap<>();

    /**
     * @param firstAddress the first loopback address handed out (127.0.0.101 and up by default, clear of
     *                     the fixture's instances at 127.0.0.11 and up)
     */
    public PodNetwork(String firstAddress, Path hostsFile) {
        this.firstAddress = firstAddress;
        this.hostsFile = hostsFile.toAbsolutePath();
        write();
    }

    public static PodNetwork fromSystemProperties(Path hostsFile) {
        return new PodNetwork(System.getProperty("harperdb.test.firstPodAddress", "127.0.0.101"), hostsFile);
    }

    /** The address of {@code owner} (a pod, {@code namespace/name}, or a host outside the cluster), the same each time. */
    public synchronized String address(String owner) {
        return addresses.computeIfAbsent(owner, o -> {
            String[] parts = firstAddress.split("\\.");
            int last = Integer.parseInt(parts[3]) + addresses.size();
            if (last > 254) {
                throw new IllegalStateException("no loopback address left after " + firstAddress + " for " + owner);
            }
            return parts[0] + "." + parts[1] + "." + parts[2] + "." + last;
        });
    }

    /** Publishes DNS names for {@code owner}'s address (empty: none, as when its Service is gone). */
    public synchronized void publish(String owner, List<String> dnsNames) {
        address(owner);
        List<String> previous = names.put(owner, List.copyOf(dnsNames));
        if (!dnsNames.equals(previous)) {
            write();
        }
    }

    public Path hostsFile() {
        return hostsFile;
    }

    /** The address a name resolves to, or null. */
    public String resolve(String name) {
        for (Map.Entry<String, List<String>> entry : names.entrySet()) {
            if (entry.getValue().contains(name)) {
                return addresses.get(entry.getKey());
            }
        }
        return null;
    }

    /** DNS for clients in this JVM (the operator): the cluster's names, then the machine's resolver. */
    public Dns dns() {
        return hostname -> {
            String address = resolve(hostname);
            if (address == null) {
                return Dns.SYSTEM.lookup(hostname);
            }
            try {
                return List.of(InetAddress.getByName(address));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** Rewritten in place (same inode), so that containers that bind-mounted it see every change. */
    private void write() {
        StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n::1 localhost\n");
        new TreeMap<>(names).forEach((owner, dnsNames) -> {
            if (!dnsNames.isEmpty()) {
                hosts.append(addresses.get(owner)).append(' ').append(String.join(" ", dnsNames)).append('\n');
            }
        });
        try {
            Files.createDirectories(hostsFile.getParent());
            Files.writeString(hostsFile, hosts, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
