package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.DatabaseSocket;
import io.harperdb.replication.model.PeerConnection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrainTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final List<ClusterMember> STAYING = List.of(member("demo-0"), member("demo-1"));

    private static ClusterMember member(String name) {
        return new ClusterMember(name, name, null, "http://" + name + ":9925", false, false, List.of(),
                new MemberCredentials("admin", "secret"), null, name);
    }

    private static DatabaseSocket socket(String database, boolean connected, Object lastReceivedVersion) {
        return new DatabaseSocket(database, connected, 1.0, 1, List.of("demo-3"), null, null, null, lastReceivedVersion, null, 0.0, "Waiting");
    }

    /** {@code name}'s cluster_status with a connection to demo-3 of these sockets. */
    private static MemberObservation seeing(String name, DatabaseSocket... sockets) {
        return MemberObservation.answered(name, new ClusterStatus(name, "wss://" + name + ":9933", true,
                List.of(new PeerConnection("demo-3", null, true, null, List.of(sockets)))), List.of());
    }

    private static Map<String, MemberObservation> received(double data0, double data1) {
        return Map.of("demo-0", seeing("demo-0", socket("system", true, 1.0), socket("data", true, data0)),
                "demo-1", seeing("demo-1", socket("system", true, 1.0), socket("data", true, data1)));
    }

    /** The epoch milliseconds of {@code instant}, as HarperDB reports versions. */
    private static double version(Instant instant) {
        return instant.toEpochMilli();
    }

    @Test
    void aLeavingMemberStillTakingClientTrafficIsNotDrained() {
        Drain.Verdict verdict = Drain.judge("demo-3", false, STAYING, received(5, 5), null, T0);

        assertThat(verdict.drained()).isFalse();
        assertThat(verdict.sample()).isNull();
        assertThat(verdict.waiting()).isEqualTo("its client traffic to stop");
    }

    @Test
    void inAnIdleClusterDrainedOnceTheReceivedVersionsStandStillForTheQuietTimeAfterTheCut() {
        Drain.Verdict first = Drain.judge("demo-3", true, STAYING, received(5, 5), null, T0);
        assertThat(first.drained()).isFalse();
        assertThat(first.sample().cutSeen()).isEqualTo(T0);
        assertThat(first.waiting()).isEqualTo("its writes to reach demo-0/system");

        Drain.Verdict early = Drain.judge("demo-3", true, STAYING, received(5, 5), first.sample(), T0.plus(Drain.QUIET).minusMillis(1));
        assertThat(early.drained()).isFalse();

        Drain.Verdict done = Drain.judge("demo-3", true, STAYING, received(5, 5), early.sample(), T0.plus(Drain.QUIET));
        assertThat(done.drained()).isTrue();
        assertThat(done.waiting()).isNull();
    }

    @Test
    void whileTheOthersTakeWritesAVersionPastTheCutAndItsMarginShowsItCaughtUp() {
        // the staying members' own writes come back through the leaving member's stream: the data versions move
        Drain.Verdict first = Drain.judge("demo-3", true, STAYING, received(version(T0), version(T0)), null, T0);
        Drain.Verdict moving = Drain.judge("demo-3", true, STAYING,
                received(version(T0.plusSeconds(3)), version(T0.plusSeconds(3))), first.sample(), T0.plusSeconds(3));
        assertThat(moving.drained()).isFalse();

        Drain.Verdict oneBehind = Drain.judge("demo-3", true, STAYING,
                received(version(T0.plus(Drain.QUIET)), version(T0.plus(Drain.QUIET).minusMillis(1))), moving.sample(), T0.plusSeconds(6));
        assertThat(oneBehind.drained()).isFalse();
        assertThat(oneBehind.waiting()).isEqualTo("its writes to reach demo-1/data");

        // the system sockets never moved (unchanged for the quiet time); the data ones passed cut + margin
        Drain.Verdict done = Drain.judge("demo-3", true, STAYING,
                received(version(T0.plusSeconds(6)), version(T0.plusSeconds(6))), oneBehind.sample(), T0.plusSeconds(7));
        assertThat(done.drained()).isTrue();
        // once drained it stays so, whatever the next round sees (remove_node takes its records away)
        assertThat(Drain.judge("demo-3", true, STAYING, received(1, 1), done.sample(), T0.plusSeconds(8)).drained()).isTrue();
    }

    @Test
    void aVersionThatMovesBeforeTheMarginIsNotCaughtUp() {
        Drain.Verdict first = Drain.judge("demo-3", true, STAYING, received(5, 5), null, T0);
        Drain.Verdict moved = Drain.judge("demo-3", true, STAYING, received(5, 6), first.sample(), T0.plusSeconds(10));

        assertThat(moved.drained()).isFalse();
        assertThat(moved.waiting()).isEqualTo("its writes to reach demo-1/data");
        assertThat(Drain.judge("demo-3", true, STAYING, received(5, 6), moved.sample(), T0.plusSeconds(14)).drained()).isFalse();
        assertThat(Drain.judge("demo-3", true, STAYING, received(5, 6), moved.sample(), T0.plusSeconds(15)).drained()).isTrue();
    }

    @Test
    void aSocketDownOrAStayingMemberNotAnsweringKeepsItDraining() {
        Map<String, MemberObservation> down = Map.of("demo-0", seeing("demo-0", socket("data", false, version(T0.plusSeconds(60)))),
                "demo-1", seeing("demo-1", socket("data", true, version(T0.plusSeconds(60)))));
        Drain.Verdict disconnected = Drain.judge("demo-3", true, STAYING, down, null, T0);
        assertThat(disconnected.drained()).isFalse();
        assertThat(disconnected.waiting()).isEqualTo("demo-0 to be connected to it (database data)");
        assertThat(Drain.judge("demo-3", true, STAYING, down, disconnected.sample(), T0.plusSeconds(60)).drained()).isFalse();

        Map<String, MemberObservation> silent = Map.of("demo-0", seeing("demo-0", socket("data", true, 5.0)),
                "demo-1", MemberObservation.failed("demo-1", Outcome.UNREACHABLE, "down"));
        Drain.Verdict unanswered = Drain.judge("demo-3", true, STAYING, silent, null, T0);
        assertThat(unanswered.drained()).isFalse();
        assertThat(unanswered.waiting()).isEqualTo("demo-1 to answer");
        assertThat(Drain.judge("demo-3", true, STAYING, silent, unanswered.sample(), T0.plusSeconds(60)).drained()).isFalse();
    }

    @Test
    void aStayingMemberWithoutARecordOfItHasNothingToWaitFor() {
        Map<String, MemberObservation> none = Map.of(
                "demo-0", MemberObservation.answered("demo-0", new ClusterStatus("demo-0", null, true, List.of()), List.of()),
                "demo-1", MemberObservation.answered("demo-1", new ClusterStatus("demo-1", null, true, List.of()), List.of()));
        Drain.Verdict first = Drain.judge("demo-3", true, STAYING, none, null, T0);

        assertThat(first.drained()).isFalse();
        assertThat(Drain.judge("demo-3", true, STAYING, none, first.sample(), T0.plus(Drain.QUIET)).drained()).isTrue();
    }

    @Test
    void aJoiningMemberCatchesUpFromItsOwnViewOfItsPeers() {
        MemberObservation joining = MemberObservation.answered("demo-2", new ClusterStatus("demo-2", null, true, List.of(
                new PeerConnection("demo-0", null, true, null, List.of(socket("data", true, version(T0.minusSeconds(60))))),
                new PeerConnection("demo-1", null, true, null, List.of(socket("data", true, version(T0.plusSeconds(6))))))), List.of());
        Map<String, MemberObservation> seen = Map.of("demo-2", joining);

        Drain.Verdict first = Drain.joined("demo-2", STAYING, seen, null, T0);
        assertThat(first.drained()).isFalse();
        assertThat(first.waiting()).isEqualTo("its writes to reach demo-0/data");
        // demo-0's stream has not moved for the quiet time; demo-1's is past the join and its margin
        assertThat(Drain.joined("demo-2", STAYING, seen, first.sample(), T0.plus(Drain.QUIET)).drained()).isTrue();
        assertThat(Drain.joined("demo-2", STAYING, Map.of(), null, T0).waiting()).isEqualTo("it to answer");
    }
}
