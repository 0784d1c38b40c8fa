package io.harperdb.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Route;
import io.harperdb.operator.api.Subscription;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TemplateHashTest {
    private final DesiredStatefulSet builder = new DesiredStatefulSet(Clusters.OPERATOR_IMAGE);
    private final String demoHash = hash(Clusters.demo());

    @Test
    void theTemplateCarriesTheHashOfItselfWithoutTheHash() {
        StatefulSet sts = builder.build(Clusters.demo());

        assertThat(TemplateHash.desired(sts)).hasSize(16).matches("[0-9a-f]+").isEqualTo(demoHash);
        assertThat(TemplateHash.of(sts.getSpec().getTemplate())).isEqualTo(demoHash);
    }

    @Test
    void theSameSpecAlwaysGivesTheSameHash() {
        assertThat(hash(Clusters.demo())).isEqualTo(demoHash);
        assertThat(hash(Clusters.read(Clusters.DEMO))).isEqualTo(demoHash);
    }

    @Test
    void aPodsHashIsReadFromItsAnnotations() {
        StatefulSet sts = builder.build(Clusters.demo());
        var pod = new PodBuilder().withMetadata(sts.getSpec().getTemplate().getMetadata()).build();

        assertThat(TemplateHash.current(pod)).isEqualTo(TemplateHash.desired(sts));
        assertThat(TemplateHash.current(new PodBuilder().withNewMetadata().withName("x").endMetadata().build())).isNull();
    }

    @Test
    void whatThePodsRunChangesTheHash() {
        assertChanges(c -> c.getSpec().getInstances().setImage("harperdb/harperdb:4.7.30"));
        assertChanges(c -> Clusters.withResources(c, "2", "4Gi"));
        assertChanges(c -> c.getSpec().getInstances().getSidecar().setEnabled(false));
        assertChanges(c -> Clusters.withDatabases(c, "data"));
        assertChanges(c -> c.getSpec().setAdminSecret("other-admin"));
        assertThat(hash(Clusters.withResources(Clusters.demo(), "2", "4Gi")))
                .isNotEqualTo(hash(Clusters.withResources(Clusters.demo(), "2", "8Gi")));
        assertThat(hash(builder, Clusters.demo())).isNotEqualTo(hash(new DesiredStatefulSet("operator:0.2.0"), Clusters.demo()));
    }

    @Test
    void whatThePodsDoNotSeeLeavesTheHash() {
        assertSame(c -> c.getSpec().getInstances().setReplicas(5));
        assertSame(c -> c.getSpec().setPollInterval("1m"));
        assertSame(c -> c.getSpec().getTls().setVerify(true));
        assertSame(c -> c.getSpec().getReplication().setSubscriptions(List.of(subscription())));
        assertSame(c -> c.getSpec().getReplication().setRoutes(List.of(Route.of("east.example.com:9933"))));
        assertSame(c -> c.getSpec().getReplication().setPruneUnknownNodes(true));
        // Volume claims and their retention are not part of the pod template.
        assertSame(c -> c.getSpec().getInstances().getStorage().setSize("20Gi"));
        assertSame(c -> c.getSpec().getInstances().getStorage().setDeleteClaimsOnScaleDown(true));
        assertSame(c -> c.getMetadata().setUid("another-uid"));
        assertSame(c -> c.getMetadata().setGeneration(7L));
    }

    private void assertChanges(Consumer<HarperCluster> change) {
        HarperCluster cluster = Clusters.demo();
        change.accept(cluster);
        assertThat(hash(cluster)).isNotEqualTo(demoHash);
    }

    private void assertSame(Consumer<HarperCluster> change) {
        HarperCluster cluster = Clusters.demo();
        change.accept(cluster);
        assertThat(hash(cluster)).isEqualTo(demoHash);
    }

    private String hash(HarperCluster cluster) {
        return hash(builder, cluster);
    }

    private static String hash(DesiredStatefulSet builder, HarperCluster cluster) {
        return TemplateHash.desired(builder.build(cluster));
    }

    private static Subscription subscription() {
        Subscription s = new Subscription();
        s.setDatabase("data");
        s.setTable("dog");
        s.setSubscribe(true);
        s.setPublish(true);
        return s;
    }
}
