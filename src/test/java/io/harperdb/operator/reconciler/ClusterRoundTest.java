package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.HarperClusterStatus;
import io.harperdb.operator.api.Phase;
import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.PeerConnection;
import io.harperdb.replication.plan.PlannedOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure steps of a round, each alone on a hand-made {@link ClusterRound}. */
class ClusterRoundTest {
    private static final Instant NOW = Instant.parse("2025-01-01T00:10:00Z");
    private static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5));
    private static final OperationResult SENT = new OperationResult(new PlannedOperation.RemoveNode("a", "b"), Outcome.SUCCESS, "ok");
    private static final OperationResult FAILED = new OperationResult(new PlannedOperation.RemoveNode("a", "b"), Outcome.SERVER_ERROR, "500");

    @Test
    void aReadyOrStoppedRoundPollsOnItsIntervalAConvergingOneSoon() {
        assertThat(nextPoll(round(), Phase.READY, null, List.of())).isEqualTo(Duration.ofSeconds(30));
        assertThat(nextPoll(round(), Phase.RECONCILING, null, List.of())).isEqualTo(HarperClusterReconciler.CONVERGING_INTERVAL);
        ClusterRound paused = round();
        paused.cluster.getMetadata().setAnnotations(Map.of(Annotations.PAUSE, "true"));
        assertThat(nextPoll(new ClusterRound(paused.cluster, NOW, Duration.ofSeconds(30)), Phase.PAUSED, null, List.of()))
                .isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void writesKeepTheConvergingSpacingWhileSettlingRoundsLookMoreOften() {
        assertThat(HarperClusterReconciler.heldAfterWrite(null, NOW)).as("nothing written yet").isFalse();
        assertThat(HarperClusterReconciler.heldAfterWrite(NOW.minus(HarperClusterReconciler.SETTLING_INTERVAL), NOW)).isTrue();
        assertThat(HarperClusterReconciler.heldAfterWrite(NOW.minusMillis(1_999), NOW)).isTrue();
        assertThat(HarperClusterReconciler.heldAfterWrite(NOW.minus(HarperClusterReconciler.CONVERGING_INTERVAL), NOW)).isFalse();
    }

    @Test
    void aRoundThatSentNothingSoonAfterAWriteLooksAgainVerySoonWhileTheLinksForm() {
        ClusterRound afterWrite = round();
        afterWrite.lastWrite = NOW.minusSeconds(1);
        assertThat(nextPoll(afterWrite, Phase.RECONCILING, null, List.of())).isEqualTo(HarperClusterReconciler.SETTLING_INTERVAL)
                .isLessThan(HarperClusterReconciler.CONVERGING_INTERVAL);
        // links not connected yet read as Degraded after a while: still only forming, no backoff
        ClusterRound degraded = round();
        degraded.lastWrite = NOW.minusSeconds(3);
        assertThat(nextPoll(degraded, Phase.DEGRADED, NOW.minusSeconds(60), List.of())).isEqualTo(HarperClusterReconciler.SETTLING_INTERVAL);
        // the window is over: the converging cadence again
        ClusterRound later = round();
        later.lastWrite = NOW.minus(HarperClusterReconciler.SETTLING_WINDOW);
        assertThat(nextPoll(later, Phase.RECONCILING, null, List.of())).isEqualTo(HarperClusterReconciler.CONVERGING_INTERVAL);
        // Ready: the poll interval
        ClusterRound ready = round();
        ready.lastWrite = NOW.minusSeconds(1);
        assertThat(nextPoll(ready, Phase.READY, null, List.of())).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aRoundThatWritesOrFailsIsNotSpedUpByAnEarlierWrite() {
        ClusterRound writing = round();
        writing.lastWrite = NOW;
        assertThat(nextPoll(writing, Phase.RECONCILING, null, List.of(SENT))).isEqualTo(HarperClusterReconciler.CONVERGING_INTERVAL);
        ClusterRound failing = round();
        failing.lastWrite = NOW.minusSeconds(1);
        assertThat(nextPoll(failing, Phase.DEGRADED, NOW.minusSeconds(20), List.of(FAILED))).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    @Test
    void aFailingRoundBacksOffByHowLongTheClusterHasNotBeenReadyAsStatusSays() {
        // just failing: about the initial delay
        assertThat(nextPoll(round(), Phase.DEGRADED, NOW, List.of())).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
        // not Ready for 20 s: between 10 and 20 s, whatever the number of rounds in between
        assertThat(nextPoll(round(), Phase.DEGRADED, NOW.minusSeconds(20), List.of())).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
        // for ten minutes: at most the poll interval
        assertThat(nextPoll(round(), Phase.FAILED, NOW.minusSeconds(600), List.of())).isEqualTo(Duration.ofSeconds(30));
        // an operation failed in a round still Reconciling counts as failing too
        OperationResult failed = new OperationResult(new PlannedOperation.RemoveNode("a", "b"), Outcome.SERVER_ERROR, "500");
        assertThat(nextPoll(round(), Phase.RECONCILING, NOW.minusSeconds(20), List.of(failed)))
                .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
    }

    @Test
    void scaleDownKeepsTheLeavingPodsWhileAStayingMemberRecordsThem() {
        ClusterRound round = managedRound(2, 3);
        round.observations = Map.of("demo-0", recording("demo-0", "demo-1", "demo-2"), "demo-1", recording("demo-1", "demo-0"));
        assertThat(HarperClusterReconciler.scaleDown(round)).isEqualTo(3);
        assertThat(round.stillLeaving).containsExactly("demo-2");

        round.observations = Map.of("demo-0", recording("demo-0", "demo-1"), "demo-1", recording("demo-1", "demo-0"));
        assertThat(HarperClusterReconciler.scaleDown(round)).as("out of the mesh: the one write shrinks").isEqualTo(2);
        assertThat(round.stillLeaving).isEmpty();
    }

    @Test
    void growingTakesEffectAtOnce() {
        ClusterRound round = managedRound(5, 3);
        assertThat(HarperClusterReconciler.scaleDown(round)).isEqualTo(5);
        assertThat(round.stillLeaving).isEmpty();
    }

    @Test
    void aPausedRoundsStatusKeepsWhatWasKnownAndSaysPaused() {
        HarperCluster cluster = Resources.cluster("demo");
        HarperClusterStatus previous = new HarperClusterStatus();
        previous.setReadyMembers("2/2");
        previous.setPhase(Phase.READY);
        cluster.setStatus(previous);
        cluster.getMetadata().setAnnotations(Map.of(Annotations.PAUSE, "true"));
        ClusterRound round = new ClusterRound(cluster, NOW, Duration.ofSeconds(30));

        HarperClusterReconciler.buildStatus(round);

        assertThat(round.stopped()).isTrue();
        assertThat(round.status.getPhase()).isEqualTo(Phase.PAUSED);
        assertThat(round.status.getReadyMembers()).isEqualTo("2/2");
        assertThat(Conditions.isTrue(round.status.getConditions(), Conditions.PAUSED)).isTrue();
    }

    private static Duration nextPoll(ClusterRound round, Phase phase, Instant notReadySince, List<OperationResult> results) {
        HarperClusterStatus status = new HarperClusterStatus();
        status.setPhase(phase);
        status.setConditions(notReadySince == null ? List.of() : List.of(new ConditionBuilder().withType(Conditions.READY)
                .withStatus("False").withLastTransitionTime(notReadySince.toString()).build()));
        round.status = status;
        round.results = results;
        HarperClusterReconciler.scheduleNextPoll(round, BACKOFF);
        return round.nextPoll;
    }

    private static ClusterRound round() {
        return new ClusterRound(Resources.cluster("demo"), NOW, Duration.ofSeconds(30));
    }

    private static ClusterRound managedRound(int desired, int current) {
        ClusterRound round = new ClusterRound(ManagedResourcesTest.managedCluster("demo", desired), NOW, Duration.ofSeconds(30));
        round.desiredReplicas = desired;
        round.currentReplicas = current;
        List<ClusterMember> staying = new java.util.ArrayList<>();
        List<ClusterMember> leaving = new java.util.ArrayList<>();
        for (int i = 0; i < Math.max(desired, current); i++) {
            (i < desired ? staying : leaving).add(member("demo-" + i));
        }
        round.managedMembers = new MemberResolver.Members(staying, leaving);
        round.members = round.managedMembers;
        round.observations = Map.of();
        return round;
    }

    private static ClusterMember member(String name) {
        return new ClusterMember(name, name, null, "http://" + name + ":9925", false, false, List.of(),
                new MemberCredentials("admin", "pw"), null, name);
    }

    private static MemberObservation recording(String name, String... peers) {
        return MemberObservation.answered(name, new ClusterStatus(name, "wss://" + name + ":9933", true,
                java.util.Arrays.stream(peers).map(p -> new PeerConnection(p, null, true, null, List.of())).toList()), List.of());
    }
}
