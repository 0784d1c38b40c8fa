package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.harperdb.operator.reconciler.RollingRestart.PodState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which pod goes next; that it is asked only in a Ready, unpaused round is the round's (ClusterRoundTest). */
class RollingRestartTest {
    private static final String NEW = "new-hash";
    private static final String OLD = "old-hash";

    private static PodState pod(int ordinal, String hash) {
        return new PodState("demo-" + ordinal, ordinal, hash, false, true);
    }

    @Test
    void theHighestOrdinalWithAnOldTemplateGoesFirst() {
        assertThat(RollingRestart.next(NEW, 3, List.of(pod(0, OLD), pod(1, OLD), pod(2, OLD)))).contains("demo-2");
        assertThat(RollingRestart.next(NEW, 3, List.of(pod(0, OLD), pod(1, OLD), pod(2, NEW)))).contains("demo-1");
    }

    @Test
    void aPodWithoutHashIsOutOfDate() {
        assertThat(RollingRestart.next(NEW, 2, List.of(pod(0, null), pod(1, NEW)))).contains("demo-0");
    }

    @Test
    void nothingRollsWhenEveryPodIsCurrent() {
        assertThat(RollingRestart.next(NEW, 2, List.of(pod(0, NEW), pod(1, NEW)))).isEmpty();
    }

    @Test
    void theNextWaitsWhileAPodIsMissingGoingOrNotReady() {
        // demo-2 was deleted and is not back yet
        assertThat(RollingRestart.next(NEW, 3, List.of(pod(0, OLD), pod(1, OLD)))).isEmpty();
        assertThat(RollingRestart.next(NEW, 3, List.of(pod(0, OLD), pod(1, OLD),
                new PodState("demo-2", 2, OLD, true, true)))).isEmpty();
        assertThat(RollingRestart.next(NEW, 3, List.of(pod(0, OLD), pod(1, OLD),
                new PodState("demo-2", 2, NEW, false, false)))).isEmpty();
    }

    @Test
    void podsBeyondTheReplicasAreNotRolled() {
        assertThat(RollingRestart.next(NEW, 2, List.of(pod(0, NEW), pod(1, NEW), pod(2, OLD)))).isEmpty();
    }

    @Test
    void noStatefulSetNoRoll() {
        assertThat(RollingRestart.next(null, 1, List.of(pod(0, OLD)))).isEmpty();
    }
}
