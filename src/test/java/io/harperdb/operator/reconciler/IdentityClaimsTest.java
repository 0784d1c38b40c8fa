package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which cluster has an instance that HarperNodes of two clusters declare: the earlier one (creationTimestamp, then name). */
class IdentityClaimsTest {
    private final HarperCluster first = cluster("first", "2026-01-01T00:00:00Z");
    private final HarperCluster second = cluster("second", "2026-01-02T00:00:00Z");
    private final Map<String, HarperCluster> clusters = Map.of("first", first, "second", second);

    @Test
    void theLaterClusterDeclaringTheSameNodeNameIsRefusedTheInstance() {
        List<HarperNode> nodes = List.of(
                Resources.node("one", "first", "x.example.com", "http://10.0.0.1:9925", "admin"),
                Resources.node("two", "second", "x.example.com", "http://10.0.0.2:9925", "admin"),
                Resources.node("mine", "second", "y.example.com", "http://10.0.0.3:9925", "admin"));

        Map<String, String> claimed = claimed(second, nodes);

        assertThat(claimed).containsOnlyKeys("two");
        assertThat(claimed.get("two")).contains("x.example.com", "HarperNode one of HarperCluster first", "earlier");
        assertThat(claimed(first, nodes)).as("the earlier cluster keeps it").isEmpty();
    }

    @Test
    void theSameOperationsUrlIsTheSameInstanceWhateverTheName() {
        List<HarperNode> nodes = List.of(
                Resources.node("one", "first", "x.example.com", "http://10.0.0.1:9925/", "admin"),
                Resources.node("two", "second", "other-name.example.com", "HTTP://10.0.0.1:9925", "admin"));

        Map<String, String> claimed = claimed(second, nodes);

        assertThat(claimed).containsOnlyKeys("two");
        assertThat(claimed.get("two")).contains("Operations API URL", "HarperNode one of HarperCluster first");
    }

    @Test
    void onTheSameCreationTimestampTheNameDecides() {
        HarperCluster alpha = cluster("alpha", "2026-01-01T00:00:00Z");
        HarperCluster beta = cluster("beta", "2026-01-01T00:00:00Z");
        Map<String, HarperCluster> both = Map.of("alpha", alpha, "beta", beta);
        List<HarperNode> nodes = List.of(
                Resources.node("a", "alpha", "x.example.com", null, "admin"),
                Resources.node("b", "beta", "x.example.com", null, "admin"));

        assertThat(claimed(beta, nodes, both)).containsOnlyKeys("b");
        assertThat(claimed(alpha, nodes, both)).isEmpty();
    }

    @Test
    void aHarperNodeOfAClusterThatDoesNotExistClaimsNothingButItsNameIsDeclared() {
        List<HarperNode> nodes = List.of(
                Resources.node("orphan", "gone", "x.example.com", null, "admin"),
                Resources.node("two", "second", "x.example.com", null, "admin"));

        assertThat(claimed(second, nodes)).isEmpty();
        assertThat(IdentityClaims.declaredAmong(Resources.NAMESPACE, List.of("x.example.com", "y.example.com"), indexOf(nodes)))
                .containsExactly("x.example.com");
    }

    @Test
    void everyHarperNodeOfTheNamespaceDeclaresItsNameWhateverItsState() {
        HarperNode deleting = Resources.node("leaving", "first", "leaving.example.com", null, "admin");
        deleting.getMetadata().setDeletionTimestamp("2026-01-03T00:00:00Z");
        HarperNode noCluster = Resources.node("loose", null, "loose.example.com", null, "admin");
        HarperNode urlOnly = Resources.urlNode("byurl", "second", "wss://by-url.example.com:9933", null, "admin");
        HarperNode nameless = Resources.node("nameless", "second", null, null, "admin");

        List<String> listed = List.of("by-url.example.com", "leaving.example.com", "loose.example.com", "stray.example.com");
        assertThat(IdentityClaims.declaredAmong(Resources.NAMESPACE, listed, indexOf(List.of(deleting, noCluster, urlOnly, nameless))))
                .containsExactly("by-url.example.com", "leaving.example.com", "loose.example.com");
        assertThat(IdentityClaims.declaredAmong("elsewhere", listed, indexOf(List.of(deleting, noCluster, urlOnly, nameless))))
                .as("a name declared in another namespace").isEmpty();
    }

    @Test
    void onlyTheHarperNodesDeclaringAMembersNameOrUrlAreLookedAtAmongThousands() {
        List<HarperNode> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            nodes.add(Resources.node("n" + i, "first", "n" + i + ".example.com", null, "admin"));
        }
        nodes.add(Resources.node("one", "first", "x.example.com", null, "admin"));
        nodes.add(Resources.node("two", "second", "x.example.com", null, "admin"));
        List<ClusterMember> members = MemberResolver.resolve(second, List.of(nodes.get(nodes.size() - 1)), IdentityClaimsTest::secret).staying();
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger nodesSeen = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Function<String, List<HarperNode>> index = indexOf(nodes);

        Map<String, String> claimed = IdentityClaims.claimedElsewhere(second, members, key -> {
            List<HarperNode> found = index.apply(key);
            nodesSeen.addAndGet(found.size());
            return found;
        }, name -> {
            lookups.incrementAndGet();
            return Optional.ofNullable(clusters.get(name));
        });

        assertThat(claimed).containsOnlyKeys("two");
        // the claimant's cluster, looked up to filter and to order, and the HarperNodes declaring the member's name
        // or URL (its own and the claimant, each by both): not the 3,000 others (a round per poll)
        assertThat(lookups.get()).isLessThanOrEqualTo(3);
        assertThat(nodesSeen.get()).isLessThanOrEqualTo(4);
    }

    /** The HarperNodes having each key, as the informer's index (by {@link IdentityClaims#identityKeys}) holds them. */
    private static java.util.function.Function<String, List<HarperNode>> indexOf(List<HarperNode> nodes) {
        Map<String, List<HarperNode>> index = new java.util.HashMap<>();
        for (HarperNode node : nodes) {
            for (String key : IdentityClaims.identityKeys(node)) {
                index.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(node);
            }
        }
        return key -> index.getOrDefault(key, List.of());
    }

    private Map<String, String> claimed(HarperCluster cluster, List<HarperNode> nodes) {
        return claimed(cluster, nodes, clusters);
    }

    private static Map<String, String> claimed(HarperCluster cluster, List<HarperNode> nodes, Map<String, HarperCluster> clusters) {
        List<HarperNode> own = nodes.stream().filter(n -> cluster.getMetadata().getName().equals(n.getSpec().getClusterRef())).toList();
        List<ClusterMember> members = MemberResolver.resolve(cluster, own, IdentityClaimsTest::secret).staying();
        return IdentityClaims.claimedElsewhere(cluster, members, indexOf(nodes), name -> Optional.ofNullable(clusters.get(name)));
    }

    private static Optional<Secret> secret(String name) {
        return Optional.of(Resources.secret(name, "admin", "pw"));
    }

    private static HarperCluster cluster(String name, String created) {
        HarperCluster cluster = Resources.cluster(name);
        cluster.getMetadata().setCreationTimestamp(created);
        return cluster;
    }
}
