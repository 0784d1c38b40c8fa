package io.harperdb.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;

class DesiredServicesTest {

    @Test
    void theHeadlessServiceNamesEveryMemberReadyOrNot() {
        Service headless = DesiredServices.headless(Clusters.demo());

        assertThat(headless.getMetadata().getName()).isEqualTo("demo-hdb");
        assertThat(headless.getMetadata().getNamespace()).isEqualTo("ns");
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(headless.getSpec().getSelector()).isEqualTo(ResourceNames.selectorLabels(Clusters.demo()));
        assertThat(headless.getSpec().getPorts()).extracting(p -> p.getName() + "=" + p.getPort() + "->" + p.getTargetPort().getStrVal())
                .containsExactly("operations=9925->operations", "operations-tls=9924->operations-tls", "http=9926->http",
                        "replication=9933->replication",
                        "sidecar=9950->sidecar");
    }

    @Test
    void theSidecarsMetricsPortIsOnTheHeadlessServiceOnlyWhenThePodsRunTheSidecar() {
        // Clusters.custom() disables the sidecar: a Service port naming a container port no pod has would serve nothing
        assertThat(DesiredServices.headless(Clusters.custom()).getSpec().getPorts()).extracting(p -> p.getName())
                .containsExactly("operations", "operations-tls", "http", "replication");
    }

    @Test
    void theClientServiceReachesReadyServingMembersOnly() {
        Service client = DesiredServices.client(Clusters.demo());

        assertThat(client.getMetadata().getName()).isEqualTo("demo");
        assertThat(client.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(client.getSpec().getClusterIP()).isNull();
        assertThat(client.getSpec().getPublishNotReadyAddresses()).isNotEqualTo(Boolean.TRUE);
        // the pods the operator labels serving: a pod leaving on a scale-down is unlabelled before it drains
        assertThat(client.getSpec().getSelector()).containsAllEntriesOf(ResourceNames.selectorLabels(Clusters.demo()))
                .containsEntry("harperdb.io/serving", "true").hasSize(ResourceNames.selectorLabels(Clusters.demo()).size() + 1);
        assertThat(client.getSpec().getPorts()).extracting(p -> p.getName() + "=" + p.getPort())
                .containsExactly("operations=9925", "operations-tls=9924", "http=9926");
    }

    @Test
    void bothAreLabelledAndOwnedByTheCluster() {
        for (Service service : DesiredServices.all(Clusters.demo())) {
            assertThat(service.getMetadata().getLabels()).isEqualTo(ResourceNames.labels(Clusters.demo()));
            assertThat(service.getMetadata().getOwnerReferences()).singleElement()
                    .isEqualTo(OwnerReferences.controller(Clusters.demo()));
        }
    }

    @Test
    void theStatefulSetIsGovernedByTheHeadlessService() {
        assertThat(new DesiredStatefulSet(Clusters.OPERATOR_IMAGE).build(Clusters.demo()).getSpec().getServiceName())
                .isEqualTo(DesiredServices.headless(Clusters.demo()).getMetadata().getName());
    }
}
