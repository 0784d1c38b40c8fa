package io.harperdb.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/reference.md is what the CRDs say, and the README points at it. */
class ReferenceDocTest {

    @Test
    void theCommittedReferenceIsTheGeneratedOne() throws IOException {
        assertThat(ReferenceDoc.FILE).exists();
        assertThat(Files.readString(ReferenceDoc.FILE)).as("docs/reference.md is stale: run `make docs`")
                .isEqualTo(ReferenceDoc.render());
    }

    @Test
    void itListsTheFieldsOfTheApiContract() throws IOException {
        String reference = ReferenceDoc.render();

        assertThat(reference).contains("## HarperCluster (`harperdb.io/v1alpha1`)", "## HarperNode (`harperdb.io/v1alpha1`)");
        for (String field : new String[] {"spec.instances.replicas", "spec.instances.storage.deleteClaimsOnScaleDown",
                "spec.adminSecret", "spec.tls.verify", "spec.replication.subscriptions[].table", "spec.replication.routes",
                "spec.replication.pruneUnknownNodes", "spec.pollInterval", "spec.clusterRef", "spec.authorizationSecret.name",
                "spec.subscriptions[].publish", "status.members[].connections[].databases[].connected", "status.readyMembers"}) {
            assertThat(reference).contains("| `" + field + "` |");
        }
        assertThat(Files.readString(Path.of("README.md"))).contains("docs/reference.md");
        assertThat(reference).as("the hand-written section is kept").contains(ReferenceDoc.HAND_WRITTEN, "256 KiB");
    }
}
