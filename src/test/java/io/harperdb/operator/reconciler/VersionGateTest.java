package io.harperdb.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.resources.DesiredStatefulSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Which image changes wait for the annotation, and what the versions look like in status. */
class VersionGateTest {
    private static final String RUNNING = "harperdb/harperdb:4.7.29";

    private static HarperCluster cluster(String image, String allow) {
        HarperCluster cluster = ManagedResourcesTest.managedCluster("demo", 3);
        cluster.getMetadata().setUid("uid-1");
        cluster.getSpec().getInstances().setImage(image);
        if (allow != null) {
            cluster.getMetadata().setAnnotations(new HashMap<>(Map.of(VersionGate.ALLOW_ANNOTATION, allow)));
        }
        return cluster;
    }

    private static StatefulSet running(String image) {
        return DesiredStatefulSet.of(io.harperdb.operator.resources.SidecarImage.of("ghcr.io/x/operator:1", "test"))
                .build(cluster(image, null));
    }

    @Test
    void aDowngradeWaitsForTheAnnotationAndKeepsTheRunningImage() {
        VersionGate.Decision held = VersionGate.decide(cluster("harperdb/harperdb:4.6.3", null), running(RUNNING), List.of("4.7.29", "4.7.29"), 5);

        assertThat(held.heldImage()).isEqualTo(RUNNING);
        assertThat(held.condition().getType()).isEqualTo("VersionChange");
        assertThat(held.condition().getStatus()).isEqualTo("False");
        assertThat(held.condition().getReason()).isEqualTo(VersionGate.NEEDS_APPROVAL);
        assertThat(held.condition().getMessage()).contains("HarperDB 4.6.3, a downgrade from 4.7.29", "keep " + RUNNING,
                "harperdb.io/allow-version-change=4.6.3");
        assertThat(held.condition().getObservedGeneration()).isEqualTo(5L);

        for (String allow : List.of("4.6.3", "harperdb/harperdb:4.6.3", " 4.6.3 ")) {
            assertThat(VersionGate.decide(cluster("harperdb/harperdb:4.6.3", allow), running(RUNNING), List.of("4.7.29"), 5))
                    .as(allow).isEqualTo(VersionGate.Decision.GO);
        }
        assertThat(VersionGate.decide(cluster("harperdb/harperdb:4.6.3", "4.6.2"), running(RUNNING), List.of("4.7.29"), 5).heldImage())
                .as("another target").isEqualTo(RUNNING);
    }

    @Test
    void aNewMajorVersionWaitsTooAMinorOrPatchUpgradeDoesNot() {
        assertThat(VersionGate.decide(cluster("harperdb/harperdb:5.0.1", null), running(RUNNING), List.of("4.7.29"), 1).condition().getMessage())
                .contains("a change of major version from 4.7.29");
        assertThat(VersionGate.decide(cluster("harperdb/harperdb:4.8.0", null), running(RUNNING), List.of("4.7.29"), 1)).isEqualTo(VersionGate.Decision.GO);
        assertThat(VersionGate.decide(cluster("harperdb/harperdb:4.7.30", null), running(RUNNING), List.of("4.7.29"), 1)).isEqualTo(VersionGate.Decision.GO);
        // members in the middle of a rollout: the highest counts
        assertThat(VersionGate.decide(cluster("harperdb/harperdb:4.7.29", null), running("harperdb/harperdb:4.7.30"), List.of("4.7.29", "4.7.30"), 1)
                .heldImage()).isEqualTo("harperdb/harperdb:4.7.30");
    }

    @Test
    void withoutReportedVersionsTheRunningImageTagCountsAndWhatCannotBeToldGoesAhead() {
        assertThat(VersionGate.decide(cluster("harperdb/harperdb:4.6.0", null), running(RUNNING), List.of(), 1).heldImage()).isEqualTo(RUNNING);
        assertThat(VersionGate.decide(cluster("harperdb/harperdb:latest", null), running(RUNNING), List.of("4.7.29"), 1)).isEqualTo(VersionGate.Decision.GO);
        assertThat(VersionGate.decide(cluster("registry:5000/harperdb@sha256:abc", null), running(RUNNING), List.of("4.7.29"), 1))
                .isEqualTo(VersionGate.Decision.GO);
        assertThat(VersionGate.decide(cluster("harperdb/harperdb:4.6.0", null), running("harperdb/harperdb:latest"), List.of(), 1))
                .isEqualTo(VersionGate.Decision.GO);
        assertThat(VersionGate.decide(cluster("harperdb/harperdb:4.6.0", null), null, List.of("4.7.29"), 1))
                .as("no StatefulSet yet").isEqualTo(VersionGate.Decision.GO);
        assertThat(VersionGate.tag("registry:5000/harperdb/harperdb:4.7.29")).isEqualTo("4.7.29");
        assertThat(VersionGate.tag("registry:5000/harperdb/harperdb")).isNull();
    }

    @Test
    void theStatusSummaryNamesOneVersionOrCountsEach() {
        assertThat(VersionGate.summary(List.of())).isNull();
        assertThat(VersionGate.summary(List.of("4.7.29", "4.7.29"))).isEqualTo("4.7.29");
        assertThat(VersionGate.summary(List.of("4.7.30", "4.7.29", "4.7.29"))).isEqualTo("4.7.29 (2), 4.7.30 (1)");
    }

    @Test
    void versionsAreReadAtASlowCadenceAndAgainAfterAMemberWasAway() {
        MemberVersions versions = new MemberVersions();
        AtomicInteger reads = new AtomicInteger();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

        assertThat(versions.version("http://a:9925", t0, () -> "4.7.29-" + reads.incrementAndGet())).isEqualTo("4.7.29-1");
        assertThat(versions.version("http://a:9925", t0.plusSeconds(599), () -> "4.7.29-" + reads.incrementAndGet())).isEqualTo("4.7.29-1");
        assertThat(versions.version("http://a:9925", t0.plusSeconds(600), () -> "4.7.29-" + reads.incrementAndGet())).isEqualTo("4.7.29-2");
        versions.forget("http://a:9925");
        assertThat(versions.known("http://a:9925")).isNull();
        assertThat(versions.version("http://a:9925", t0.plusSeconds(601), () -> "4.7.29-" + reads.incrementAndGet())).isEqualTo("4.7.29-3");
        // a member that does not tell is not asked again every round
        assertThat(versions.version("http://b:9925", t0, () -> {
            reads.incrementAndGet();
            throw new IllegalStateException("refused");
        })).isNull();
        assertThat(versions.version("http://b:9925", t0.plusSeconds(30), () -> "x" + reads.incrementAndGet())).isNull();
        assertThat(reads).hasValue(4);
    }
}
