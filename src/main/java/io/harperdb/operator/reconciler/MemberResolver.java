package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.HarperNodeSpec;
import io.harperdb.operator.resources.HarperPorts;
import io.harperdb.operator.resources.MemberAddress;
import io.harperdb.operator.resources.MemberAddressResolver;
import io.harperdb.operator.resources.ResourceNames;
import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.model.Subscription;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a cluster's HarperNodes and managed pods into members: identity, Operations API URL, credentials
 * from their Secrets, subscriptions (their own, else the cluster's default). Pure: Secrets come through a
 * lookup, pod addresses through a {@link MemberAddressResolver}.
 */
public final class MemberResolver {
    public static final String USERNAME_KEY = "username";
    public static final String PASSWORD_KEY = "password";
    static final int OPERATIONS_PORT = 9925;

    private MemberResolver() {
    }

    /** The members of a cluster: {@code staying} are declared, {@code leaving} are being deleted. */
    public record Members(List<ClusterMember> staying, List<ClusterMember> leaving) {
        public List<ClusterMember> all() {
            List<ClusterMember> all = new ArrayList<>(staying);
            all.addAll(leaving);
            return all;
        }

        /** These members and the other's: HarperNodes and managed pods together. */
        public Members plus(Members other) {
            List<ClusterMember> s = new ArrayList<>(staying);
            s.addAll(other.staying);
            List<ClusterMember> l = new ArrayList<>(leaving);
            l.addAll(other.leaving);
            return new Members(List.copyOf(s), List.copyOf(l));
        }
    }

    /**
     * The managed members: pods {@code 0..staying-1} of the StatefulSet stay, pods {@code staying..existing-1}
     * are leaving (a scale-down whose remove_node has not yet taken effect). Each is addressed through the
     * resolver and authenticated with the cluster's admin Secret; an https address is verified with the cluster's CA
     * ({@link OperationsTrust#managedHttps}).
     */
    public static Members managed(HarperCluster cluster, int staying, int existing, MemberAddressResolver addresses,
                                  Function<String, Optional<Secret>> secrets) {
        return managed(cluster, staying, existing, addresses, secrets, Set.of());
    }

    /**
     * As {@link #managed(HarperCluster, int, int, MemberAddressResolver, Function)}; the pods named in {@code plainOnly}
     * run a template older than the https Operations API (no port {@code operations-tls}) and are called on the plain
     * port until the roll replaces them: the roll waits for a Ready cluster, which needs them reachable.
     */
    public static Members managed(HarperCluster cluster, int staying, int existing, MemberAddressResolver addresses,
                                  Function<String, Optional<Secret>> secrets, Set<String> plainOnly) {
        String secretName = ResourceNames.adminSecret(cluster);
        Credentials credentials = credentials(secretName, "of HarperCluster " + cluster.getMetadata().getName(), secrets);
        boolean verifyTls = clusterVerifiesTls(cluster);
        List<Subscription> subscriptions = subscriptions(cluster.getSpec().getReplication() == null
                ? null : cluster.getSpec().getReplication().getSubscriptions());
        List<ClusterMember> stay = new ArrayList<>();
        List<ClusterMember> leave = new ArrayList<>();
        OperationsTrust httpsTrust = null;
        for (int ordinal = 0; ordinal < Math.max(staying, existing); ordinal++) {
            MemberAddress address = addresses.resolve(cluster, ordinal);
            OperationsTrust trust = OperationsTrust.managed(verifyTls);
            if (isHttps(address.operationsUrl()) && plainOnly.contains(address.podName())) {
                address = new MemberAddress(address.podName(), address.nodeName(), address.replicationHostname(),
                        plainOperationsUrl(address.operationsUrl()));
            } else if (isHttps(address.operationsUrl())) {
                // the same CA for every pod: read once
                httpsTrust = httpsTrust != null ? httpsTrust : OperationsTrust.managedHttps(cluster, verifyTls, secrets);
                trust = httpsTrust;
            }
            ClusterMember member = new ClusterMember(address.nodeName(), address.replicationHostname(), address.replicationUrl(),
                    address.operationsUrl(), verifyTls, false, subscriptions, credentials.credentials(), credentials.problem(),
                    address.podName(), trust);
            (ordinal < staying ? stay : leave).add(member);
        }
        return new Members(List.copyOf(stay), List.copyOf(leave));
    }

    private static boolean isHttps(String url) {
        return url != null && url.regionMatches(true, 0, "https://", 0, 8);
    }

    /** The plain Operations API at the same host: {@code http://<host>:9925}. */
    static String plainOperationsUrl(String url) {
        return "http://" + URI.create(url).getHost() + ":" + HarperPorts.OPERATIONS;
    }

    private record Credentials(MemberCredentials credentials, String problem) {
    }

    /** Reads username and password from a Secret; {@code whose} completes the messages ("of HarperNode x"). */
    private static Credentials credentials(String secretName, String whose, Function<String, Optional<Secret>> secrets) {
        Optional<Secret> secret = secrets.apply(secretName);
        if (secret.isEmpty()) {
            return new Credentials(null, "Secret " + secretName + " " + whose + " not found");
        }
        String username = value(secret.get(), USERNAME_KEY);
        String password = value(secret.get(), PASSWORD_KEY);
        if (username == null || password == null) {
            return new Credentials(null, "Secret " + secretName + " " + whose + " needs the keys " + USERNAME_KEY + " and " + PASSWORD_KEY);
        }
        return new Credentials(new MemberCredentials(username, password), null);
    }

    public static Members resolve(HarperCluster cluster, Collection<HarperNode> nodes, Function<String, Optional<Secret>> secrets) {
        List<ClusterMember> staying = new ArrayList<>();
        List<ClusterMember> leaving = new ArrayList<>();
        nodes.stream()
                .filter(n -> n.getSpec() != null && cluster.getMetadata().getName().equals(n.getSpec().getClusterRef()))
                .sorted(Comparator.comparing(n -> n.getMetadata().getName()))
                .forEach(node -> {
                    ClusterMember member = member(cluster, node, secrets);
                    (node.getMetadata().getDeletionTimestamp() == null ? staying : leaving).add(member);
                });
        return new Members(List.copyOf(staying), List.copyOf(leaving));
    }

    static ClusterMember member(HarperCluster cluster, HarperNode node, Function<String, Optional<Secret>> secrets) {
        HarperNodeSpec spec = node.getSpec();
        String name = nodeName(spec);
        String operationsUrl = operationsUrl(spec);
        boolean verifyTls = spec.getVerifyTls() != null ? spec.getVerifyTls() : clusterVerifiesTls(cluster);
        List<Subscription> subscriptions = subscriptions(spec.getSubscriptions());
        if (subscriptions.isEmpty()) {
            subscriptions = subscriptions(cluster.getSpec().getReplication() == null ? null : cluster.getSpec().getReplication().getSubscriptions());
        }
        String secretName = spec.getAuthorizationSecret() == null ? null : spec.getAuthorizationSecret().getName();
        MemberCredentials credentials = null;
        String problem = null;
        if (secretName == null) {
            problem = "HarperNode " + node.getMetadata().getName() + " names no authorizationSecret";
        } else {
            Credentials read = credentials(secretName, "of HarperNode " + node.getMetadata().getName(), secrets);
            credentials = read.credentials();
            problem = read.problem();
        }
        OperationsTrust trust = OperationsTrust.of(cluster, node.getMetadata().getName(), spec, operationsUrl, secrets);
        return new ClusterMember(name, spec.getHostname(), spec.getUrl(), operationsUrl, verifyTls,
                Boolean.TRUE.equals(spec.getRetainAuthorization()), subscriptions, credentials, problem,
                node.getMetadata().getName(), trust);
    }

    /**
     * HarperDB names a node by its replication hostname; with only a url, by that url's host (seen on
     * 4.7.29), as the planner does ({@link AddNodeRequest#nodeName()}). A url without a host keeps the url
     * as its name, so that the planner reports it rather than losing it.
     */
    public static String nodeName(HarperNodeSpec spec) {
        if (spec.getHostname() != null && !spec.getHostname().isBlank()) {
            return spec.getHostname();
        }
        if (spec.getUrl() != null && !spec.getUrl().isBlank()) {
            String host = AddNodeRequest.hostOf(spec.getUrl());
            return host != null ? host : spec.getUrl();
        }
        return null;
    }

    /** Where a HarperNode's Operations API answers: its operationsUrl, else port 9925 of its node name (null: no name). */
    public static String operationsUrl(HarperNodeSpec spec) {
        String name = nodeName(spec);
        return spec.getOperationsUrl() != null ? spec.getOperationsUrl()
                : name == null ? null : "http://" + name + ":" + OPERATIONS_PORT;
    }

    /** What makes a HarperNode's spec unusable (what the CRD's rules refuse), or null. */
    public static String specProblem(HarperNodeSpec spec) {
        if (spec == null) {
            return "has no spec";
        }
        if (spec.getClusterRef() == null || spec.getClusterRef().isBlank()) {
            return "needs clusterRef";
        }
        if (nodeName(spec) == null) {
            return "needs hostname or url";
        }
        return urlProblem(spec.getUrl(), spec.getOperationsUrl());
    }

    /**
     * What is wrong with a member's replication url (ws or wss, with a host) or Operations API url (http or
     * https, with a host), or null. The CRD refuses such values; an older CRD does not, and then the member
     * is invalid: nothing is sent to or about it, and its HarperNode can still be deleted.
     */
    public static String urlProblem(String url, String operationsUrl) {
        if (url != null && !validUrl(url, "ws", "wss")) {
            return "has a url that is not ws:// or wss:// with a host";
        }
        if (operationsUrl != null && !validUrl(operationsUrl, "http", "https")) {
            return "has an operationsUrl that is not http:// or https:// with a host";
        }
        return null;
    }

    /** A member's {@link #urlProblem}, or null. */
    public static String urlProblem(ClusterMember member) {
        return urlProblem(member.url(), member.operationsUrl());
    }

    private static boolean validUrl(String value, String... schemes) {
        try {
            URI uri = new URI(value);
            return uri.getScheme() != null && List.of(schemes).contains(uri.getScheme().toLowerCase(Locale.ROOT))
                    && uri.getHost() != null && !uri.getHost().isBlank();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** spec.tls.verify; true when absent (the default: managed members have certificates from the cluster's CA). */
    static boolean clusterVerifiesTls(HarperCluster cluster) {
        return cluster.getSpec().getTls() == null || !Boolean.FALSE.equals(cluster.getSpec().getTls().getVerify());
    }

    static List<Subscription> subscriptions(List<io.harperdb.operator.api.Subscription> declared) {
        if (declared == null) {
            return List.of();
        }
        return declared.stream()
                .map(s -> new Subscription(s.getDatabase(), s.getTable(), s.getSubscribe(), s.getPublish()))
                .toList();
    }

    /** A Secret's value from {@code data} (base64) or {@code stringData}; null when absent or empty. */
    static String value(Secret secret, String key) {
        Map<String, String> data = secret.getData();
        if (data != null && data.get(key) != null) {
            String decoded = new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
            return decoded.isEmpty() ? null : decoded;
        }
        Map<String, String> stringData = secret.getStringData();
        String plain = stringData == null ? null : stringData.get(key);
        return plain == null || plain.isEmpty() ? null : plain;
    }
}
