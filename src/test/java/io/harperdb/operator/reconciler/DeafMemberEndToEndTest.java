package io.harperdb.operator.reconciler;

import static io.harperdb.operator.reconciler.Resources.NAMESPACE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.resources.ResourceNames;
import io.harperdb.operator.testing.ClusterAwait;
import io.harperdb.operator.testing.HarperOperationLog;
import io.harperdb.operator.testing.MovableClock;
import io.harperdb.operator.testing.RunningOperator;
import io.harperdb.testing.HarperDb;
import io.harperdb.testing.HarperDbCluster;
import io.harperdb.testing.HarperDbInstance;
import io.harperdb.testing.HarperDbTable;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A member whose own replication connection to a peer is down for good while the peer's connection to it is up
 * (compatibility row 29: on 4.7.29 a reconnect that throws is never retried), against real HarperDB 4.7.29: the
 * operator reports it, sends it the add_node, then restarts its workers once, and it ends with every record; a
 * staying member deaf to a leaving one (which the drain waits for) has its workers restarted, and the drain ends.
 *
 * <p>HarperDB cannot be made to lose that connection on demand (it takes a certificate race), so the test shows the
 * operator what the member's {@code cluster_status} showed then: its sockets to the peer not connected, the peer's
 * to it connected, until the operator has restarted its workers. Everything else is real: the restart_service call,
 * the member's new workers connecting again, and the writes made on the peer meanwhile. The operator's clock is moved
 * past each 30 s rule rather than waited for (PlannerHealingTest holds the timing).
 */
@Isolated("uses the real HarperDB instances: alone, so that no other class takes their CPUs")
@HarperDb(instances = 3, resetBeforeEach = false)
class DeafMemberEndToEndTest {
    private static final Duration CONVERGE = Duration.ofSeconds(120);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HarperDbCluster real;
    private final MovableClock clock = new MovableClock();
    private OperatorOnFixture k8s;
    private KubernetesClient user;
    private HarperOperationLog harperCalls;
    private RunningOperator operator;
    private HarperDbTable table;

    @BeforeEach
    void start(HarperDbCluster real) {
        this.real = real;
        real.reinstall();
        table = HarperDbTable.onEveryInstance(real, "deaf");
        k8s = new OperatorOnFixture(real, clock, replicas -> {
        });
        user = k8s.user();
        harperCalls = k8s.harperCalls();
        operator = k8s.operator();
    }

    @AfterEach
    void stop() {
        k8s.close();
    }

    @Test
    void aMemberThatReceivesNothingFromAPeerIsMendedThenRestartedOnceAndEndsWithEveryRecord() throws Exception {
        k8s.createCluster(3);
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));

        String deaf = real.instance(2).hostname();
        String peer = real.instance(0).hostname();
        DeadConnection fault = DeadConnection.from(real.instance(2), peer);
        harperCalls.clear();
        harperCalls.rewriteAnswers(fault);
        // the peer keeps taking writes all along
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            for (int n = 0; writing.get(); n++) {
                if (table.insert(0, "on-peer-" + n)) {
                    acknowledged.add("on-peer-" + n);
                }
                sleep(100);
            }
        }, "client");
        writer.setDaemon(true);
        writer.start();
        try {
            awaitCluster(c -> c.getStatus().getPhase() == Phase.DEGRADED && c.getStatus().getLinksDown() != null
                    && !c.getStatus().getLinksDown().isEmpty() && c.getStatus().getConditions().stream()
                    .anyMatch(k -> k.getMessage() != null && k.getMessage().contains(deaf + " receives nothing from " + peer)));
            operator.awaitRounds(2);
            assertThat(harperCalls.writes()).as("nothing before the link is down 30 s").isEmpty();
            // the operator's clock past Healing.AFTER (30 s): the add_node, to the member that receives nothing
            clock.advance(Duration.ofSeconds(31));
            await().atMost(Duration.ofSeconds(30)).until(() -> !harperCalls.writes().isEmpty());
            operator.awaitRounds(2);
            assertThat(harperCalls.writes()).extracting(HarperOperationLog.Call::operation).as("no restart before the add_node had its 30 s")
                    .containsExactly("add_node");
            // past Healing.RESTART_AFTER (30 s) after it: one restart of its workers
            clock.advance(Duration.ofSeconds(31));
            awaitCluster(c -> fault.restartSent() && c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));
            operator.awaitRounds(2);
        } finally {
            writing.set(false);
            writer.join(10_000);
        }

        List<HarperOperationLog.Call> writes = harperCalls.writes();
        assertThat(writes).extracting(HarperOperationLog.Call::operation).containsExactly("add_node", "restart_service");
        HarperOperationLog.Call mend = writes.get(0);
        assertThat(mend.host()).as("the add_node goes to the member that receives nothing").isEqualTo(deaf);
        assertThat(mend.body().path("hostname").asText(mend.body().path("url").asText())).contains(peer);
        HarperOperationLog.Call restart = writes.get(1);
        assertThat(restart.host()).as("the restart, of the member that received nothing").isEqualTo(deaf);
        assertThat(restart.body().path("service").asText()).isEqualTo("http_workers");
        assertThat(user.v1().events().inNamespace(NAMESPACE).list().getItems()).extracting(Event::getMessage)
                .anySatisfy(m -> assertThat(m).contains("restart_service http_workers on " + deaf).contains("received nothing from " + peer));

        assertThat(fault.newWorkersSeen()).as("HarperDB reported its sockets to the peer on new workers").isTrue();
        // the restarted member holds what the peer took meanwhile, and replicates both ways
        assertThat(acknowledged).hasSizeGreaterThan(30);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> table.ids(2).containsAll(acknowledged));
        assertThat(table.insert(2, "from-the-restarted")).isTrue();
        assertThat(table.insert(0, "after-the-restart")).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> table.ids(0).contains("from-the-restarted") && table.ids(1).contains("from-the-restarted")
                && table.ids(2).contains("after-the-restart"));
        assertThat(user.resources(HarperCluster.class).inNamespace(NAMESPACE).withName("demo").get().getStatus().getLinksDown())
                .as("no link left down").isNullOrEmpty();
    }

    @Test
    void aStayingMemberThatReceivesNothingFromTheLeavingOneIsRestartedAndTheDrainEndsWithItsLateWrite() throws Exception {
        k8s.createCluster(3);
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "3/3".equals(c.getStatus().getReadyMembers()));
        String deaf = real.instance(0).hostname();
        String leaving = real.instance(2).hostname();
        DeadConnection fault = DeadConnection.from(real.instance(0), leaving);
        harperCalls.clear();

        ManagedResourcesTest.editCluster(user, c -> c.getSpec().getInstances().setReplicas(2));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> ResourceNames.NOT_SERVING.equals(servingLabel("demo-2")));
        // from the cut on, demo-0's own connection to the leaving member is dead until its workers are new
        harperCalls.rewriteAnswers(fault);
        // a client that had picked demo-2 before the cut: its write lands on the leaving member
        assertThat(table.insert(2, "late-write")).isTrue();
        awaitCluster(c -> c.getStatus().getConditions().stream().anyMatch(k -> k.getMessage() != null
                && k.getMessage().contains(deaf + " to be connected to it")));
        operator.awaitRounds(2);
        assertThat(harperCalls.writes()).as("nothing is sent about a leaving member, nor removed, while it drains").isEmpty();

        // the operator's clock past Healing.AFTER and RESTART_AFTER (a minute): the restart of demo-0's workers
        clock.advance(Duration.ofSeconds(61));
        awaitCluster(c -> c.getStatus().getPhase() == Phase.READY && "2/2".equals(c.getStatus().getReadyMembers()) && replicas() == 2);
        assertThat(harperCalls.writes()).extracting(HarperOperationLog.Call::operation).containsSubsequence("restart_service", "remove_node")
                .containsOnlyOnce("restart_service", "remove_node");
        assertThat(harperCalls.writes()).filteredOn(c -> c.operation().equals("restart_service")).singleElement()
                .satisfies(c -> assertThat(c.host()).isEqualTo(deaf));
        assertThat(fault.newWorkersSeen()).as("HarperDB reported demo-0's sockets to the leaving member on new workers").isTrue();
        for (int survivor = 0; survivor < 2; survivor++) {
            int s = survivor;
            // ignoring failures: once, on the clean clone, the survivor did not answer an operation for a minute
            // after the leaving member was removed and stopped
            await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(() -> table.ids(s).contains("late-write"));
        }
    }

    private String servingLabel(String pod) {
        Pod found = user.pods().inNamespace(NAMESPACE).withName(pod).get();
        return found == null ? null : found.getMetadata().getLabels().get(ResourceNames.LABEL_SERVING);
    }

    private int replicas() {
        StatefulSet set = user.apps().statefulSets().inNamespace(NAMESPACE).withName("demo").get();
        return set == null ? -1 : set.getSpec().getReplicas();
    }

    /**
     * The fault: {@code member}'s own connection to {@code peer} dead on the worker threads that hold it now. Its
     * cluster_status answers read the sockets to the peer not connected while they are on those threads; once HarperDB
     * reports them on others (new workers), the answers pass unchanged.
     */
    private static final class DeadConnection implements HarperOperationLog.AnswerRewriter {
        private final String member;
        private final String peer;
        private final Set<String> oldThreads;
        private final AtomicBoolean restartSent = new AtomicBoolean();
        private final AtomicBoolean newWorkersSeen = new AtomicBoolean();

        private DeadConnection(String member, String peer, Set<String> oldThreads) {
            this.member = member;
            this.peer = peer;
            this.oldThreads = oldThreads;
        }

        static DeadConnection from(HarperDbInstance member, String peer) {
            Set<String> threads = socketThreads(member.post("{\"operation\":\"cluster_status\"}"), peer);
            assertThat(threads).as("cluster_status names the thread of each socket").isNotEmpty().doesNotContain("");
            return new DeadConnection(member.hostname(), peer, threads);
        }

        @Override
        public String rewrite(String host, String operation, String body) {
            if (!host.equals(member)) {
                return body;
            }
            if (operation.equals("restart_service")) {
                restartSent.set(true);
            }
            if (!operation.equals("cluster_status")) {
                return body;
            }
            try {
                JsonNode status = MAPPER.readTree(body);
                if (!oldThreads.containsAll(socketThreads(status, peer))) {
                    newWorkersSeen.set(true);
                    return body;
                }
                for (JsonNode connection : status.path("connections")) {
                    if (peer.equals(connection.path("name").asText())) {
                        connection.path("database_sockets").forEach(socket -> ((ObjectNode) socket).put("connected", false));
                    }
                }
                return MAPPER.writeValueAsString(status);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }

        boolean restartSent() {
            return restartSent.get();
        }

        boolean newWorkersSeen() {
            return newWorkersSeen.get();
        }
    }

    /** The worker threads of the sockets of the connection to {@code peer} in a cluster_status answer. */
    private static Set<String> socketThreads(JsonNode status, String peer) {
        Set<String> threads = new java.util.TreeSet<>();
        for (JsonNode connection : status.path("connections")) {
            if (peer.equals(connection.path("name").asText())) {
                connection.path("database_sockets").forEach(socket -> threads.add(socket.path("threadId").asText()));
            }
        }
        return threads;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HarperCluster awaitCluster(Predicate<HarperCluster> condition) {
        return ClusterAwait.until(user, NAMESPACE, "demo", Duration.ofSeconds(150), condition);
    }
}
