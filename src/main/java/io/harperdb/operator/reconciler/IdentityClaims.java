package io.harperdb.operator.reconciler;

import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Who else declares a HarperDB instance: the HarperNodes of every cluster in the namespace, as the informer cache
 * holds them. Pure.
 *
 * <ul>
 * <li>Within one cluster, two members of one node name are duplicates (the planner leaves both out), and a
 * name a staying member declares is never removed because another declaration of it is deleted.</li>
 * <li>Between clusters, the earlier one (creationTimestamp, then name) has an instance: a member of a later
 * cluster with the node name or Operations API URL that a HarperNode of an earlier cluster declares is
 * claimed elsewhere, and the later cluster sends nothing to it.</li>
 * <li>No name that a HarperNode of the namespace declares is ever pruned, whatever its cluster or state.</li>
 * </ul>
 */
final class IdentityClaims {
    /** The HarperNode Ready reason of a member whose node name another member of its cluster declares too. */
    static final String DUPLICATE = "DuplicateNodeName";
    /** The HarperNode Ready reason of a member that an earlier cluster has. */
    static final String CLAIMED = "ClaimedByAnotherCluster";

    private IdentityClaims() {
    }

    /** The name of the HarperNode informer's index by {@link #identityKeys}. */
    static final String INDEX = "identity";

    /**
     * What a HarperNode declares, as keys of the informer's index: its node name and its normalized Operations API
     * URL, each within its namespace. Every HarperNode has them, valid or not, of any cluster or none. Rounds look
     * declarations up by key: walking every HarperNode of the namespace each round cost most of an idle round at
     * 1,000 clusters (BENCHMARKS.md).
     */
    static List<String> identityKeys(HarperNode node) {
        String name = node.getSpec() == null ? null : MemberResolver.nodeName(node.getSpec());
        if (name == null) {
            return List.of();
        }
        String namespace = node.getMetadata().getNamespace();
        String url = MemberResolver.operationsUrl(node.getSpec());
        return url == null ? List.of(nameKey(namespace, name)) : List.of(nameKey(namespace, name), urlKey(namespace, url));
    }

    static String nameKey(String namespace, String nodeName) {
        return "name " + namespace + " " + nodeName;
    }

    static String urlKey(String namespace, String operationsUrl) {
        return "url " + namespace + " " + normalized(operationsUrl);
    }

    /** Those of {@code names} that a HarperNode of the namespace declares, valid or not, of any cluster or none. */
    static Set<String> declaredAmong(String namespace, Collection<String> names, Function<String, List<HarperNode>> declaring) {
        Set<String> declared = new TreeSet<>();
        for (String name : names) {
            if (name != null && !declaring.apply(nameKey(namespace, name)).isEmpty()) {
                declared.add(name);
            }
        }
        return declared;
    }

    /**
     * The members of {@code cluster} whose node name or Operations API URL a HarperNode of an earlier cluster of
     * the namespace declares, by resource name, with what is wrong. A HarperNode whose cluster does not exist
     * claims nothing (nothing is sent for it either).
     *
     * @param declaring the HarperNodes having an {@linkplain #identityKeys identity key}
     */
    static Map<String, String> claimedElsewhere(HarperCluster cluster, List<ClusterMember> members,
                                                Function<String, List<HarperNode>> declaring,
                                                Function<String, Optional<HarperCluster>> clusters) {
        String self = cluster.getMetadata().getName();
        String namespace = cluster.getMetadata().getNamespace();
        Map<String, String> byName = new LinkedHashMap<>();
        Map<String, String> byUrl = new LinkedHashMap<>();
        Map<String, HarperNode> candidates = new java.util.HashMap<>();    // by resource name: one namespace
        for (ClusterMember m : members) {
            if (m.name() != null) {
                declaring.apply(nameKey(namespace, m.name())).forEach(n -> candidates.put(n.getMetadata().getName(), n));
            }
            if (m.operationsUrl() != null) {
                declaring.apply(urlKey(namespace, m.operationsUrl())).forEach(n -> candidates.put(n.getMetadata().getName(), n));
            }
        }
        // the earliest claimant first, so that a message names it
        List<HarperNode> earlier = candidates.values().stream()
                .filter(n -> n.getSpec() != null && n.getSpec().getClusterRef() != null && !self.equals(n.getSpec().getClusterRef()))
                .filter(n -> clusters.apply(n.getSpec().getClusterRef()).filter(c -> isEarlier(c, cluster)).isPresent())
                .sorted(Comparator.comparing((HarperNode n) -> clusters.apply(n.getSpec().getClusterRef()).orElseThrow(), ORDER)
                        .thenComparing(n -> n.getMetadata().getName()))
                .toList();
        for (HarperNode node : earlier) {
            String owner = "HarperNode " + node.getMetadata().getName() + " of HarperCluster " + node.getSpec().getClusterRef();
            String name = MemberResolver.nodeName(node.getSpec());
            if (name != null) {
                byName.putIfAbsent(name, owner);
                byUrl.putIfAbsent(normalized(MemberResolver.operationsUrl(node.getSpec())), owner);
            }
        }
        Map<String, String> claimed = new TreeMap<>();
        for (ClusterMember m : members) {
            if (m.name() == null) {
                continue;
            }
            String owner = byName.get(m.name());
            if (owner != null) {
                claimed.put(m.resourceName(), "declares node name " + m.name() + ", which " + owner + ", an earlier cluster, has");
                continue;
            }
            owner = m.operationsUrl() == null ? null : byUrl.get(normalized(m.operationsUrl()));
            if (owner != null) {
                claimed.put(m.resourceName(), "declares Operations API URL " + m.operationsUrl() + ", which " + owner
                        + ", an earlier cluster, has");
            }
        }
        return claimed;
    }

    /** The other members of the cluster that declare {@code member}'s node name. */
    static List<String> twins(ClusterMember member, List<ClusterMember> members) {
        return members.stream()
                .filter(m -> m != member && m.name() != null && m.name().equals(member.name()))
                .map(ClusterMember::resourceName)
                .filter(r -> !Objects.equals(r, member.resourceName()))
                .sorted()
                .toList();
    }

    /** Clusters in the order they claim instances: creationTimestamp, then name. */
    static final Comparator<HarperCluster> ORDER = Comparator
            .comparing((HarperCluster c) -> created(c))
            .thenComparing(c -> c.getMetadata().getName());

    static boolean isEarlier(HarperCluster a, HarperCluster b) {
        return ORDER.compare(a, b) < 0;
    }

    private static Instant created(HarperCluster cluster) {
        try {
            return Instant.parse(cluster.getMetadata().getCreationTimestamp());
        } catch (RuntimeException e) {    // none yet (never from the API server): the latest
            return Instant.MAX;
        }
    }

    /** An Operations API URL as compared: scheme and host in lower case, no trailing slash. */
    static String normalized(String url) {
        try {
            URI uri = new URI(url.trim());
            String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            return scheme + "://" + host + ":" + uri.getPort() + path;
        } catch (URISyntaxException e) {
            return url.trim();
        }
    }
}
