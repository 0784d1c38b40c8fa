package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Instances;
import io.harperdb.operator.testing.MockKubernetes;
import io.harperdb.operator.testing.RunningOperator;
import io.harperdb.replication.client.AddNodeRequest;
import io.harperdb.replication.client.NodeAuthorization;
import io.harperdb.replication.plan.PlannedOperation;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

/**
 * verify_tls: on unless turned off (managed members have certificates from the cluster's CA); an add_node refused for a
 * certificate (a member with HarperDB's own self-signed ones) says what to do.
 */
class TlsVerificationTest {
    /** What HarperDB 4.7.29 answers to add_node with verify_tls true between freshly installed instances. */
    static final String SELF_SIGNED_REPLY = "{\"error\":\"Error returned from wss://demo-1.demo-hdb.test.svc:9933: self-signed "
            + "certificate in certificate chain and connection was required to sign certificate\"}";

    @Test
    void aClusterThatSaysNothingAboutTlsVerifies() {
        KubernetesSerialization json = new KubernetesSerialization();
        for (String spec : List.of("{}", "{\"tls\":{}}", "{\"tls\":null}")) {
            HarperCluster cluster = json.unmarshal("{\"apiVersion\":\"harperdb.io/v1alpha1\",\"kind\":\"HarperCluster\","
                    + "\"metadata\":{\"name\":\"demo\",\"namespace\":\"test\"},\"spec\":" + spec + "}", HarperCluster.class);
            assertThat(MemberResolver.clusterVerifiesTls(cluster)).as(spec).isTrue();
        }
        HarperCluster notVerifying = Resources.cluster("demo");
        notVerifying.getSpec().getTls().setVerify(false);
        assertThat(MemberResolver.clusterVerifiesTls(notVerifying)).isFalse();
    }

    @Test
    void aRefusedCertificateGetsAdviceOnlyWhenVerificationWasAskedFor() {
        String refused = "add_node on demo-0 failed: SERVER_ERROR (HTTP 500): Error returned from wss://demo-1:9933: "
                + "self-signed certificate in certificate chain";
        PlannedOperation verifying = new PlannedOperation.AddNode("demo-0", AddNodeRequest.hostname("demo-1").withVerifyTls(true));
        PlannedOperation notVerifying = new PlannedOperation.AddNode("demo-0", AddNodeRequest.hostname("demo-1").withVerifyTls(false));

        assertThat(TlsVerification.explain(verifying, refused)).startsWith(refused).contains(TlsVerification.ADVICE);
        assertThat(TlsVerification.explain(notVerifying, refused)).isEqualTo(refused);
        assertThat(TlsVerification.explain(verifying, "add_node on demo-0 failed: UNREACHABLE")).isEqualTo("add_node on demo-0 failed: UNREACHABLE");
        assertThat(TlsVerification.explain(new PlannedOperation.ConfigureCluster("demo-0",
                List.of(AddNodeRequest.hostname("demo-1").withVerifyTls(true))), refused)).contains(TlsVerification.ADVICE);
        assertThat(TlsVerification.explain(new PlannedOperation.UpdateNode("demo-0",
                io.harperdb.replication.client.UpdateNodeRequest.of(AddNodeRequest.hostname("demo-1").withVerifyTls(true), List.of())),
                refused)).contains(TlsVerification.ADVICE);
    }

    /** HarperDB's own reply, through the executor: the Warning Event and the result (the Reconciled condition's message) say what to do. */
    @Test
    void theFailedAddNodeEventSaysWhatToDo() throws Exception {
        try (MockKubernetes kubernetes = new MockKubernetes(); MockWebServer harper = new MockWebServer()) {
            harper.enqueue(new MockResponse().setResponseCode(500).setHeader("Content-Type", "application/json").setBody(SELF_SIGNED_REPLY));
            harper.start();
            HarperCluster cluster = kubernetes.client().resource(managed(true)).create();
            ClusterMember target = new ClusterMember("demo-0", "demo-0", null, harper.url("/").toString(), true, false, List.of(),
                    new MemberCredentials("admin", "s3cret-Pa55"), null, "demo-0");
            PlannedOperation addNode = new PlannedOperation.AddNode("demo-0", AddNodeRequest.hostname("demo-1").withVerifyTls(true)
                    .withAuthorization(NodeAuthorization.basic("admin", "s3cret-Pa55")));

            List<OperationResult> results = new PlanExecutor(new HarperClientFactory(RunningOperator.TEST_TIMEOUTS),
                    new EventRecorder(kubernetes.client())).execute(cluster, List.of(addNode), Map.of("demo-0", target));

            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.succeeded()).isFalse();
                assertThat(r.message()).contains("self-signed certificate in certificate chain").contains(TlsVerification.ADVICE);
            });
            List<Event> events = kubernetes.client().v1().events().inNamespace(NAMESPACE).list().getItems();
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getReason()).isEqualTo("OperationFailed");
                assertThat(e.getMessage()).startsWith("add_node demo-1 on demo-0").contains("self-signed").contains("spec.tls.verify").contains("<cluster>-ca")
                        .doesNotContain("s3cret-Pa55");
            });
        }
    }

    static HarperCluster managed(boolean verify) {
        HarperCluster cluster = Resources.cluster("demo");
        cluster.getSpec().setInstances(new Instances());
        cluster.getSpec().getTls().setVerify(verify);
        return cluster;
    }
}
