package io.harperdb.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperNode;
import io.harperdb.operator.api.HarperNodeSpec;
import io.harperdb.operator.api.Instances;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.api.SecretReference;
import io.harperdb.operator.resources.ClusterCertificates;
import io.harperdb.operator.resources.MemberCertificates;
import io.harperdb.operator.testing.pods.PodContract;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TLS with the operator's certificates on real HarperDB 4.7.29 pods (pod-contract tier): verification on (the
 * default), a member whose certificate comes from another CA refused, and a renewal rolled through the pods with
 * no record lost.
 */
class ClusterTlsIT {
    private static final String ROGUE = "rogue.example.net";

    private PodContract k8s;

    @BeforeEach
    void start() {
        k8s = new PodContract(Path.of("target/pod-contract/cluster-tls"));
    }

    @AfterEach
    void stop() {
        k8s.close();
    }

    @Test
    void aMemberWithACertificateFromAnotherCaIsRefused() throws InterruptedException {
        String password = k8s.createAdminSecret("demo-admin");
        k8s.createSecret("rogue-admin", "admin", password);
        // a HarperDB with a certificate for its own name, CN and SAN right, from a CA the cluster does not know
        Instant now = Instant.now();
        ClusterCertificates.Issued otherCa = ClusterCertificates.newAuthority("another CA", now, Duration.ofDays(1));
        ClusterCertificates.Issued rogue = ClusterCertificates.issue(otherCa, ROGUE, now, Duration.ofDays(1));
        createFiles("rogue-tls", Map.of("tls.crt", rogue.certificatePem(), "tls.key", rogue.keyPem(), "ca.crt", otherCa.certificatePem()));
        k8s.kubelet().runHost(ROGUE, "admin", password, false, "rogue-tls");
        k8s.user().resource(cluster("demo", 1)).create();
        await("demo-0 up").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                .until(() -> k8s.kubelet().hostReady(ROGUE) && k8s.cluster("demo").getStatus() != null
                        && "1/1".equals(k8s.cluster("demo").getStatus().getReadyMembers()));

        HarperNode node = new HarperNode();
        node.getMetadata().setName("rogue");
        node.getMetadata().setNamespace(PodContract.NAMESPACE);
        HarperNodeSpec spec = new HarperNodeSpec();
        spec.setClusterRef("demo");
        spec.setHostname(ROGUE);
        spec.setOperationsUrl("http://" + ROGUE + ":9925");
        SecretReference secret = new SecretReference();
        secret.setName("rogue-admin");
        spec.setAuthorizationSecret(secret);
        node.setSpec(spec);
        k8s.user().resource(node).create();

        // the operator asked for the link with verify_tls true (the cluster's default), and HarperDB refused the certificate.
        // (4.7.29 answers configure_cluster and add_node with success all the same: it logs the refusal, and the link stays down.)
        await("the certificate refused").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(java.nio.file.Files.readString(k8s.kubelet().log("demo-0", "harperdb")))
                        // 4.7.29 words it "... is not trusted" or "... does not have a certificate authority for the certificate ..."
                        .contains("Can not connect to wss://" + ROGUE + ":9933")
                        .contains("certificate provided by wss://" + ROGUE + ":9933"));
        List<JsonNode> linkRequests = new ArrayList<>();
        k8s.harperCalls().writes().forEach(c -> {
            if (c.operation().equals("add_node")) {
                linkRequests.add(c.body());
            } else if (c.operation().equals("configure_cluster")) {
                c.body().path("connections").forEach(linkRequests::add);
            }
        });
        assertThat(linkRequests).filteredOn(r -> r.toString().contains(ROGUE)).isNotEmpty()
                .allSatisfy(r -> assertThat(r.path("verify_tls").asBoolean(false)).as("%s", r).isTrue());
        // and no link formed, either way, for a while
        String pod0 = "http://" + k8s.podHost("demo-0", "demo") + ":9925";
        String rogueUrl = "http://" + ROGUE + ":9925";
        // (polled for 15 s whatever each call takes: a cluster_status slowed by the refused handshakes once made Awaitility's
        // during-within-atMost time out with no link ever seen)
        neverDuring(Duration.ofSeconds(15), "a link between " + ROGUE + " and demo-0", () ->
                connected(pod0, password, ROGUE) || connected(rogueUrl, password, k8s.podHost("demo-0", "demo")));
        HarperCluster demo = k8s.cluster("demo");
        assertThat(demo.getStatus().getPhase()).isNotEqualTo(Phase.READY);
        assertThat(demo.getStatus().getConditions()).anySatisfy(c -> assertThat(c.getMessage())
                .contains("link " + ROGUE + " <-> " + k8s.podHost("demo-0", "demo") + " is not connected"));
        ExampleData data = new ExampleData(k8s, "admin", password);
        data.createTable(rogueUrl, "rogue");
        data.insert(rogueUrl, "rogue", "r1", "on the rogue");
        await("nothing replicated").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() -> !describesTable(pod0, password));
    }

    @Test
    void certificatesAreRenewedAndThePodsRollOneAtATimeWithoutLosingARecord() throws Exception {
        String password = k8s.createAdminSecret("demo-admin");
        HarperCluster cluster = cluster("demo", 2);
        cluster.getSpec().getTls().setCertificateValidity("10m");
        cluster.getSpec().getTls().setRenewBefore("1m");
        k8s.user().resource(cluster).create();
        String pod0 = "http://" + k8s.podHost("demo-0", "demo") + ":9925";
        String pod1 = "http://" + k8s.podHost("demo-1", "demo") + ":9925";
        awaitReadyTwoOfTwo();
        Secret first = secret("demo-tls");
        String firstBatch = first.getMetadata().getAnnotations().get(MemberCertificates.ISSUED_ANNOTATION);
        Instant firstExpiry = ClusterCertificates.parseCertificate(decode(first, "demo-0.crt")).getNotAfter().toInstant();
        assertThat(servedCertificate("demo-0").getNotAfter().toInstant()).isEqualTo(firstExpiry);
        assertThat(servedCertificate("demo-1").getSubjectX500Principal().getName()).isEqualTo("CN=" + k8s.podHost("demo-1", "demo"));

        ExampleData data = new ExampleData(k8s, "admin", password);
        data.createTable(pod0, "renewal");
        // writes go on through the renewal, to whichever pod answers; each acknowledged one must survive
        AlternatingWriter writer = new AlternatingWriter(data, pod0, pod1);
        // the certificates (valid 10 m, a few minutes left) now fall within renewBefore: renewed at once, valid 20 m,
        // and due again only 10 m later, after this test
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            k8s.user().resources(HarperCluster.class).inNamespace(PodContract.NAMESPACE).withName("demo").edit(c -> {
                c.getSpec().getTls().setCertificateValidity("20m");
                c.getSpec().getTls().setRenewBefore("10m");
                return c;
            });
            return true;
        });
        List<String> restarts = new ArrayList<>();
        try {
            // both pods end up serving a certificate issued after the first batch, and the cluster is Ready again
            await("renewed and rolled").atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
                HarperCluster c = k8s.cluster("demo");
                return !firstBatch.equals(c.getStatus().getTls().getCertificatesIssued())
                        && servedCertificate("demo-0").getNotAfter().toInstant().isAfter(firstExpiry)
                        && servedCertificate("demo-1").getNotAfter().toInstant().isAfter(firstExpiry)
                        && c.getStatus().getPhase() == Phase.READY;
            });
        } finally {
            writer.stop();
        }
        k8s.kubelet().events().stream().filter(e -> e.startsWith("stop demo-")).forEach(restarts::add);
        assertThat(restarts).as("pods restarted to load the renewed certificates").isNotEmpty();
        assertOneAtATime(k8s.kubelet().events());
        // and the renewed members still verify each other
        assertNothingLostAndANewRecordCrosses(data, writer.acknowledged(), password, pod0, pod1);
    }

    @Test
    void aChangeToTheUsersCaRollsThePodsTwiceWithoutLosingTheMeshOrARecord() throws Exception {
        String password = k8s.createAdminSecret("demo-admin");
        k8s.user().resource(cluster("demo", 2)).create();
        String pod0 = "http://" + k8s.podHost("demo-0", "demo") + ":9925";
        String pod1 = "http://" + k8s.podHost("demo-1", "demo") + ":9925";
        awaitReadyTwoOfTwo();
        ClusterCertificates.Issued usersCa = ClusterCertificates.newAuthority("users CA", Instant.now(), Duration.ofDays(365));
        Map<String, String> caFiles = new LinkedHashMap<>();
        caFiles.put("tls.crt", usersCa.certificatePem());
        caFiles.put("tls.key", usersCa.keyPem());
        createFiles("my-ca", caFiles);

        ExampleData data = new ExampleData(k8s, "admin", password);
        data.createTable(pod0, "renewal");
        AlternatingWriter writer = new AlternatingWriter(data, pod0, pod1);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            k8s.user().resources(HarperCluster.class).inNamespace(PodContract.NAMESPACE).withName("demo").edit(c -> {
                c.getSpec().getTls().setCaSecret("my-ca");
                return c;
            });
            return true;
        });
        // the longest a link was seen down: a pod restarted on the new CA's certificate is refused by its peer, which
        // holds the old CA for it, until add_node exchanges them; the operator sends it at once, not after 30 s
        java.util.concurrent.atomic.AtomicReference<Duration> longestDown = new java.util.concurrent.atomic.AtomicReference<>(Duration.ZERO);
        try {
            // both pods serve the user's CA's certificates, ca.crt is that CA alone, and the cluster is Ready again
            await("changed and rolled twice").atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> {
                HarperCluster c = k8s.cluster("demo");
                if (c.getStatus().getLinksDown() != null) {
                    c.getStatus().getLinksDown().forEach(l -> longestDown.accumulateAndGet(
                            Duration.between(Instant.parse(l.getSince()), Instant.now()), (x, y) -> x.compareTo(y) >= 0 ? x : y));
                }
                return ClusterCertificates.signedBy(servedCertificate("demo-0"), usersCa.certificate())
                        && ClusterCertificates.signedBy(servedCertificate("demo-1"), usersCa.certificate())
                        && usersCa.certificatePem().equals(decode(secret("demo-tls"), "ca.crt"))
                        && "caSecret".equals(c.getStatus().getTls().getIssuer())
                        && c.getStatus().getPhase() == Phase.READY;
            });
        } finally {
            writer.stop();
        }
        // Each pod restarts to trust both CAs, then with the new certificates; a pod restarted after the new
        // certificates were written starts with them at once (its one restart does both), so 3 or 4 in all.
        List<String> stops = k8s.kubelet().events().stream().filter(e -> e.startsWith("stop demo-")).toList();
        assertThat(stops).as("restarts after the change").hasSizeGreaterThanOrEqualTo(3)
                .anyMatch(e -> e.startsWith("stop demo-0")).anyMatch(e -> e.startsWith("stop demo-1"));
        assertThat(longestDown.get()).as("the longest a link was seen down during the change").isLessThan(Duration.ofSeconds(30));
        assertOneAtATime(k8s.kubelet().events());
        assertNothingLostAndANewRecordCrosses(data, writer.acknowledged(), password, pod0, pod1);
    }

    /** A pod is stopped only once the previous one is started again: the kubelet's events alternate stop X, start X. */
    private static void assertOneAtATime(List<String> events) {
        String down = null;
        for (String event : events) {
            if (event.startsWith("stop demo-")) {
                assertThat(down).as("stopped %s while %s was down (%s)", event, down, events).isNull();
                down = event.substring("stop ".length());
            } else if (down != null && event.equals("start " + down)) {
                down = null;
            }
        }
    }

    private HarperCluster cluster(String name, int replicas) {
        HarperCluster cluster = new HarperCluster();
        cluster.getMetadata().setName(name);
        cluster.getMetadata().setNamespace(PodContract.NAMESPACE);
        cluster.setSpec(new io.harperdb.operator.api.HarperClusterSpec());
        cluster.getSpec().setAdminSecret(name + "-admin");
        cluster.getSpec().setPollInterval("5s");
        Instances instances = new Instances();
        instances.setReplicas(replicas);
        cluster.getSpec().setInstances(instances);
        return cluster;
    }

    /** Fails as soon as {@code seen} holds; polls it every 2 s until {@code window} has passed. */
    private static void neverDuring(Duration window, String what, java.util.function.BooleanSupplier seen) throws InterruptedException {
        long end = System.nanoTime() + window.toNanos();
        do {
            assertThat(seen.getAsBoolean()).as(what).isFalse();
            Thread.sleep(2_000);
        } while (System.nanoTime() < end);
    }

    private boolean connected(String operationsUrl, String password, String peer) {
        JsonNode status = k8s.call(operationsUrl, "admin", password, Map.of("operation", "cluster_status"));
        for (JsonNode connection : status.path("connections")) {
            if (peer.equals(connection.path("name").asText())) {
                for (JsonNode socket : connection.path("database_sockets")) {
                    if (socket.path("connected").asBoolean()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private boolean describesTable(String operationsUrl, String password) {
        JsonNode all = k8s.call(operationsUrl, "admin", password, Map.of("operation", "describe_all"));
        return all.path("data").has("rogue");
    }

    private Set<String> ids(String operationsUrl, String password) {
        JsonNode found = k8s.call(operationsUrl, "admin", password, Map.of("operation", "search_by_value", "database", "data",
                "table", "renewal", "search_attribute", "id", "search_value", "*", "get_attributes", List.of("id")));
        Set<String> ids = new java.util.HashSet<>();
        found.forEach(r -> ids.add(r.path("id").asText()));
        return ids;
    }

    /**
     * The certificate a pod's replication port (9933) serves, asked for its replication hostname (SNI); the
     * handshake trusts only the cluster's CA (ca.crt of demo-tls), so a certificate it did not sign fails here.
     */
    private X509Certificate servedCertificate(String pod) throws Exception {
        X509Certificate clusterCa = okhttp3.tls.Certificates.decodeCertificatePem(decode(secret("demo-tls"), "ca.crt"));
        SSLContext context = new okhttp3.tls.HandshakeCertificates.Builder().addTrustedCertificate(clusterCa).build().sslContext();
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new java.net.InetSocketAddress(k8s.kubelet().podIp(pod), 9933), 5000);
            socket.setSoTimeout(5000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(k8s.podHost(pod, "demo"))));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private void createFiles(String name, Map<String, String> files) {
        Map<String, String> data = new LinkedHashMap<>();
        files.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        k8s.user().resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(PodContract.NAMESPACE).endMetadata()
                .withData(data).build()).create();
    }

    private Secret secret(String name) {
        return k8s.user().secrets().inNamespace(PodContract.NAMESPACE).withName(name).get();
    }

    private static String decode(Secret secret, String key) {
        return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReadyTwoOfTwo() {
        await("demo Ready 2/2").atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            HarperCluster c = k8s.cluster("demo");
            return c.getStatus() != null && c.getStatus().getPhase() == Phase.READY && "2/2".equals(c.getStatus().getReadyMembers());
        });
    }

    /** Every acknowledged record reached both pods, and a record written on demo-1 now reaches demo-0. */
    private void assertNothingLostAndANewRecordCrosses(ExampleData data, Set<String> acknowledged, String password,
                                                       String pod0, String pod1) {
        assertThat(acknowledged).hasSizeGreaterThan(10);
        for (String url : List.of(pod0, pod1)) {
            await("every acknowledged record on " + url).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2))
                    .ignoreExceptions().untilAsserted(() -> assertThat(ids(url, password)).containsAll(acknowledged));
        }
        data.insert(pod1, "renewal", "after", "on demo-1 after the roll");
        await("after on demo-0").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> data.has(pod0, "renewal", "after"));
    }

    /** Writes a record every 0.5 s, to the two pods in turn, until stopped; only acknowledged ones are kept. */
    private static final class AlternatingWriter {
        private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean writing = new AtomicBoolean(true);
        private final Thread thread;

        AlternatingWriter(ExampleData data, String pod0, String pod1) {
            thread = new Thread(() -> {
                for (int i = 0; writing.get(); i++) {
                    String url = i % 2 == 0 ? pod0 : pod1;
                    try {
                        data.insert(url, "renewal", "w" + i, url);
                        acknowledged.add("w" + i);
                    } catch (RuntimeException e) {
                        // a pod restarting: not acknowledged, so not counted
                    }
                    sleep(500);
                }
            }, "alternating-writer");
            thread.start();
        }

        void stop() throws InterruptedException {
            writing.set(false);
            thread.join(10_000);
        }

        Set<String> acknowledged() {
            return acknowledged;
        }
    }
}
