package io.harperdb.operator;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator process's settings, from environment variables (the Deployment sets them; `make run`
 * leaves them unset and gets the defaults).
 *
 * @param watchNamespaces namespaces to watch; empty = all namespaces ({@code WATCH_NAMESPACES}, comma separated)
 * @param leaderElection  whether to take a Lease before reconciling ({@code LEADER_ELECTION}; default on in a cluster)
 * @param leaseName       the Lease's name ({@code LEADER_ELECTION_LEASE_NAME})
 * @param leaseNamespace  the Lease's namespace ({@code LEADER_ELECTION_LEASE_NAMESPACE}, else the pod's namespace)
 * @param httpPort        port of /healthz, /readyz and /metrics ({@code HTTP_PORT}, default 8080)
 */
public record OperatorSettings(Set<String> watchNamespaces, boolean leaderElection, String leaseName,
                               String leaseNamespace, int httpPort) {

    static final Path SERVICE_ACCOUNT_NAMESPACE = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

    public static OperatorSettings fromEnvironment(Map<String, String> env) {
        boolean inCluster = env.containsKey("KUBERNETES_SERVICE_HOST") && Files.exists(SERVICE_ACCOUNT_NAMESPACE);
        Set<String> namespaces = Arrays.stream(env.getOrDefault("WATCH_NAMESPACES", "").split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        boolean leaderElection = Boolean.parseBoolean(env.getOrDefault("LEADER_ELECTION", String.valueOf(inCluster)));
        String leaseNamespace = env.getOrDefault("LEADER_ELECTION_LEASE_NAMESPACE", inCluster ? readNamespace() : null);
        if (leaderElection && leaseNamespace == null) {
            throw new IllegalStateException("LEADER_ELECTION is on but no lease namespace is known: set LEADER_ELECTION_LEASE_NAMESPACE");
        }
        int port = Integer.parseInt(env.getOrDefault("HTTP_PORT", "8080"));
        return new OperatorSettings(namespaces, leaderElection,
                env.getOrDefault("LEADER_ELECTION_LEASE_NAME", "harperdb-operator-lock"), leaseNamespace, port);
    }

    private static String readNamespace() {
        try {
            return Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    public boolean watchesAllNamespaces() {
        return watchNamespaces.isEmpty();
    }
}
