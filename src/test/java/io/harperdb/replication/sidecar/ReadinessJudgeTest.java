package io.harperdb.replication.sidecar;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.DatabaseSocket;
import io.harperdb.replication.model.PeerConnection;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every transition of the readiness rule, from hand-made cluster_status answers. */
class ReadinessJudgeTest {
    static final String SELF = "127.0.0.22";
    static final String A = "127.0.0.21";
    static final String C = "127.0.0.23";

    final ReadinessJudge judge = new ReadinessJudge();

    @Test
    void aMemberAloneIsReadyOnceHarperDbAnswers() {
        assertThat(judge.judge(true, status())).satisfies(r -> {
            assertThat(r.ready()).isTrue();
            assertThat(r.reason()).contains("no initial copy is in progress");
        });
        assertThat(judge.caughtUp()).isFalse();
    }

    @Test
    void realAnswersOfAMemberThatJoinedThenLostAPeer() throws java.io.IOException {
        // 127.0.0.23 (HarperDB 4.7.29) receiving database data from 127.0.0.21, then after the copy with 127.0.0.21 stopped
        Readiness copying = judge.judge(true, PrometheusTextTest.load(PrometheusTextTest.COPYING));
        assertThat(copying.ready()).isFalse();
        assertThat(copying.reason()).isEqualTo("initial copy in progress: data from 127.0.0.21");

        assertThat(judge.judge(true, PrometheusTextTest.load(PrometheusTextTest.PEER_STOPPED)).ready()).isTrue();
        assertThat(judge.caughtUp()).isTrue();
    }

    @Test
    void notReadyWhileHarperDbDoesNotAnswer() {
        Readiness readiness = judge.judge(false, null);

        assertThat(readiness.ready()).isFalse();
        assertThat(readiness.reason()).contains("/health");
    }

    @Test
    void notReadyWithoutClusterStatusBeforeCatchingUp() {
        Readiness readiness = judge.judge(true, null);

        assertThat(readiness.ready()).isFalse();
        assertThat(readiness.reason()).contains("cluster_status");
    }

    @Test
    void aClusterStatusFailingLaterChangesNothing() {
        judge.judge(true, status(peer(A, socket("data", true, "Waiting"))));
        assertThat(judge.judge(true, null).ready()).isTrue();

        judge.judge(true, status(peer(A, socket("data", true, "Receiving"))));
        assertThat(judge.judge(true, null).ready()).isFalse();
        assertThat(judge.judge(true, status(peer(A, socket("data", true, "Waiting")))).ready()).isTrue();
    }

    @Test
    void aPeerThatIsConnectedAndIdleKeepsTheMemberReady() {
        assertThat(judge.judge(true, status(peer(A, socket("data", true, "Waiting")))).ready()).isTrue();
    }

    @Test
    void notReadyWhileReceivingAnInitialCopyThenReadyAndLatchedWhenItCompletes() {
        assertThat(judge.judge(true, status(peer(A, socket("data", true, "Waiting")))).ready()).isTrue();

        Readiness copying = judge.judge(true, status(peer(A, socket("data", true, "Receiving"))));
        assertThat(copying.ready()).isFalse();
        assertThat(copying.reason()).contains("data from " + A);
        assertThat(judge.judge(true, status(peer(A, socket("data", true, "Receiving")))).ready()).isFalse();

        Readiness done = judge.judge(true, status(peer(A, socket("data", true, "Waiting"))));
        assertThat(done.ready()).isTrue();
        assertThat(done.reason()).contains("completed");
        assertThat(judge.caughtUp()).isTrue();
    }

    @Test
    void everyCopySeenMustCompleteBeforeTheMemberIsReady() {
        judge.judge(true, status(peer(A, socket("data", true, "Receiving"), socket("dev", true, "Receiving"))));

        Readiness oneLeft = judge.judge(true, status(peer(A, socket("data", true, "Receiving"), socket("dev", true, "Waiting"))));
        assertThat(oneLeft.ready()).isFalse();
        assertThat(oneLeft.reason()).contains("data from " + A).doesNotContain("dev");
        assertThat(judge.caughtUp()).isFalse();

        assertThat(judge.judge(true, status(peer(A, socket("data", true, "Waiting"), socket("dev", true, "Waiting")))).ready()).isTrue();
        assertThat(judge.caughtUp()).isTrue();
    }

    @Test
    void aCopyFromAPeerThatStopsHalfWayKeepsTheMemberUnreadyUntilItCompletes() {
        judge.judge(true, status(peer(A, socket("data", true, "Receiving"))));

        // HarperDB still lists the stopped peer, its socket disconnected, its last status unchanged.
        assertThat(judge.judge(true, status(peer(A, socket("data", false, "Receiving")))).ready()).isFalse();
        // A socket missing from an answer does not complete the copy.
        assertThat(judge.judge(true, status(peer(A))).ready()).isFalse();

        assertThat(judge.judge(true, status(peer(A, socket("data", true, "Receiving")))).ready()).isFalse();
        assertThat(judge.judge(true, status(peer(A, socket("data", true, "Waiting")))).ready()).isTrue();
    }

    @Test
    void aCopyFromAPeerRemovedFromTheClusterIsNoLongerWaitedFor() {
        judge.judge(true, status(peer(A, socket("data", true, "Receiving")), peer(C, socket("data", true, "Waiting"))));

        Readiness readiness = judge.judge(true, status(peer(C, socket("data", true, "Waiting"))));

        assertThat(readiness.ready()).isTrue();
        assertThat(judge.caughtUp()).as("an abandoned copy did not complete").isFalse();
    }

    @Test
    void onceCaughtUpLosingPeersNeverMakesTheMemberUnready() {
        judge.judge(true, status(peer(A, socket("data", true, "Receiving"))));
        judge.judge(true, status(peer(A, socket("data", true, "Waiting")), peer(C, socket("data", true, "Waiting"))));

        assertThat(judge.judge(true, status(peer(A, socket("data", false, "Waiting")), peer(C, socket("data", false, "Waiting")))).ready()).isTrue();
        assertThat(judge.judge(true, status(peer(A), peer(C))).ready()).isTrue();
        assertThat(judge.judge(true, status()).ready()).isTrue();
        assertThat(judge.judge(true, null).ready()).as("cluster_status failing later").isTrue();
    }

    @Test
    void onceCaughtUpLaterReceivingIsOrdinaryReplication() {
        judge.judge(true, status(peer(A, socket("data", true, "Receiving"))));
        judge.judge(true, status(peer(A, socket("data", true, "Waiting"))));

        assertThat(judge.judge(true, status(peer(A, socket("data", true, "Receiving")), peer(C, socket("data", true, "Receiving")))).ready()).isTrue();
    }

    @Test
    void onceCaughtUpTheMemberIsStillUnreadyWhileHarperDbDoesNotAnswer() {
        judge.judge(true, status(peer(A, socket("data", true, "Receiving"))));
        judge.judge(true, status(peer(A, socket("data", true, "Waiting"))));

        assertThat(judge.judge(false, null).ready()).isFalse();
        assertThat(judge.judge(true, status(peer(A, socket("data", true, "Waiting")))).ready()).isTrue();
    }

    @Test
    void aCopyBeginningWhileHarperDbIsDownIsSeenWhenItAnswersAgain() {
        judge.judge(false, null);

        assertThat(judge.judge(true, status(peer(A, socket("data", true, "Receiving")))).ready()).isFalse();
    }

    @Test
    void theSystemDatabaseIsNotCountedAsACopy() {
        // The first member receives the newcomer's system database when it joins: it must stay ready.
        Readiness readiness = judge.judge(true, status(peer(A, socket("system", true, "Receiving"), socket("data", true, "Waiting"))));

        assertThat(readiness.ready()).isTrue();
        assertThat(judge.judge(true, status(peer(A, socket("system", true, "Waiting"), socket("data", true, "Waiting")))).ready()).isTrue();
        assertThat(judge.caughtUp()).isFalse();
    }

    @Test
    void socketsWithoutAStatusAsBeforeHarperDb47AreNotCopies() {
        assertThat(judge.judge(true, status(peer(A, socket("data", true, null)))).ready()).isTrue();
    }

    static ClusterStatus status(PeerConnection... peers) {
        return new ClusterStatus(SELF, "wss://" + SELF + ":9933", true, Arrays.asList(peers));
    }

    static PeerConnection peer(String name, DatabaseSocket... sockets) {
        return new PeerConnection(name, "wss://" + name + ":9933", true, null, List.of(sockets));
    }

    static DatabaseSocket socket(String database, boolean connected, String lastReceivedStatus) {
        return new DatabaseSocket(database, connected, 0.5, 1, List.of(), null, null, null, 0, null, 0.0, lastReceivedStatus);
    }
}
