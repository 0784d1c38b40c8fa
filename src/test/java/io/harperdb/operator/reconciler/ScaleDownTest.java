package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.replication.client.Outcome;
import io.harperdb.replication.model.ClusterStatus;
import io.harperdb.replication.model.PeerConnection;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaleDownTest {

    private static ClusterMember member(String name) {
        return new ClusterMember(name, name, null, "http://" + name + ":9925", false, false, List.of(),
                new MemberCredentials("admin", "secret"), null, name);
    }

    private static MemberObservation recording(String name, String... peers) {
        return MemberObservation.answered(name, new ClusterStatus(name, "wss://" + name + ":9933", true,
                Arrays.stream(peers).map(p -> new PeerConnection(p, null, true, null, List.of())).toList()), List.of());
    }

    @Test
    void leavingMembersStillRecordedByAStayingOneKeepTheStatefulSetAsItIs() {
        var staying = List.of(member("demo-0"), member("demo-1"));
        var leaving = List.of(member("demo-2"), member("demo-3"));
        var observations = Map.of("demo-0", recording("demo-0", "demo-1", "demo-3"), "demo-1", recording("demo-1", "demo-0"));

        assertThat(ScaleDown.stillRecorded(staying, leaving, observations)).containsExactly("demo-3");
        assertThat(ScaleDown.replicas(2, 4, true)).isEqualTo(4);
    }

    @Test
    void theStatefulSetShrinksOnceNoStayingMemberRecordsTheLeavingOnes() {
        var staying = List.of(member("demo-0"), member("demo-1"));
        var leaving = List.of(member("demo-2"));
        var observations = Map.of("demo-0", recording("demo-0", "demo-1"), "demo-1", recording("demo-1", "demo-0"),
                // the leaving member's own view does not count
                "demo-2", recording("demo-2", "demo-0", "demo-1"));

        assertThat(ScaleDown.stillRecorded(staying, leaving, observations)).isEmpty();
        assertThat(ScaleDown.replicas(2, 3, false)).isEqualTo(2);
    }

    @Test
    void withNoStayingMemberAnsweringNothingShowsTheLeavingOnesGone() {
        var staying = List.of(member("demo-0"));
        var leaving = List.of(member("demo-1"));
        var observations = Map.of("demo-0", MemberObservation.failed("demo-0", Outcome.UNREACHABLE, "down"));

        assertThat(ScaleDown.stillRecorded(staying, leaving, observations)).containsExactly("demo-1");
    }

    @Test
    void scalingToZeroNeedsNoRemoval() {
        assertThat(ScaleDown.stillRecorded(List.of(), List.of(member("demo-0")), Map.of())).isEmpty();
    }

    @Test
    void growingTakesEffectAtOnce() {
        assertThat(ScaleDown.replicas(5, 3, true)).isEqualTo(5);
    }
}
