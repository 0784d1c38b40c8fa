package io.harperdb.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.harperdb.operator.api.HarperCluster;
import org.junit.jupiter.api.Test;

/** kubectl harper status: what a user reads, from a status as the operator writes it. */
class StatusReportTest {
    static final String CLUSTER = """
            apiVersion: harperdb.io/v1alpha1
            kind: HarperCluster
            metadata: { name: demo, namespace: ns }
            spec:
              instances: { replicas: 3, image: harperdb/harperdb:4.7.29, storage: { size: 10Gi } }
            status:
              phase: Degraded
              readyMembers: 2/3
              version: 4.7.29
              conditions:
                - { type: Ready, status: "False", reason: MembersNotReady, message: 2 of 3 members ready }
                - { type: Reconciled, status: "True", reason: UpToDate, message: the members' replication matches the spec }
              routesPendingRestart: [demo-2]
              members:
                - name: demo-0
                  reachable: true
                  version: 4.7.29
                  connections:
                    - name: demo-1
                      connected: true
                      databases:
                        - { database: system, connected: true, backPressurePercent: 0 }
                        - { database: data, connected: true, backPressurePercent: 12.4 }
                    - name: demo-2
                      connected: false
                      databases:
                        - { database: system, connected: true }
                        - { database: data, connected: false }
                - name: demo-1
                  reachable: true
                  version: 4.7.29
                  connections:
                    - name: demo-0
                      connected: true
                      databases: [ { database: data, connected: true, lastReceivedStatus: Receiving } ]
                    - name: demo-2
                      connected: false
                      databases: [ { database: data, connected: false } ]
                - name: demo-2
                  reachable: false
            """;

    @Test
    void showsPhaseConditionsTheMeshAndPendingRoutes() {
        String report = StatusReport.render(Serialization.unmarshal(CLUSTER, HarperCluster.class));

        assertThat(report).isEqualTo("""
                HarperCluster ns/demo  phase Degraded  ready 2/3  version 4.7.29

                Conditions:
                  TYPE        STATUS  REASON           MESSAGE
                  Ready       False   MembersNotReady  2 of 3 members ready
                  Reconciled  True    UpToDate         the members' replication matches the spec

                Mesh (row: member, column: peer; ok/part/DOWN, bp = back pressure, copy = initial copy):
                  MEMBER  VERSION  demo-0       demo-1       demo-2
                  demo-0  4.7.29   -            ok bp 12%    part
                  demo-1  4.7.29   ok copy      -            DOWN
                  demo-2  -        unreachable  unreachable  -

                Routes pending restart: demo-2 (kubectl harper restart demo applies them)
                """);
    }

    /** Past 16 members status counts links instead of listing them: the matrix shows what the summary tells (? where it cannot). */
    @Test
    void aLargeClusterShowsTheLinksItsSummaryNamesDown() {
        HarperCluster cluster = Serialization.unmarshal(CLUSTER.substring(0, CLUSTER.indexOf("  members:")) + """
                  members:
                    - { name: demo-0, reachable: true, connectionSummary: { connected: 1, notConnected: 1, notConnectedPeers: [demo-2] } }
                    - { name: demo-1, reachable: true, connectionSummary: { connected: 2, notConnected: 0 } }
                    - { name: demo-2, reachable: true, connectionSummary: { connected: 0, notConnected: 7, notConnectedPeers: [demo-0] } }
                """, HarperCluster.class);

        assertThat(StatusReport.render(cluster)).contains("""
                  MEMBER  VERSION  demo-0  demo-1  demo-2
                  demo-0  -        -       ok      DOWN
                  demo-1  -        ok      -       ok
                  demo-2  -        DOWN    ?       -
                  demo-0: 1 connected, 1 not (large cluster: status lists no links)
                """);
    }

    @Test
    void aClusterWithoutStatusSaysSo() {
        HarperCluster cluster = Serialization.unmarshal(CLUSTER.substring(0, CLUSTER.indexOf("status:")), HarperCluster.class);

        assertThat(StatusReport.render(cluster)).isEqualTo("HarperCluster ns/demo: no status yet (the operator has not reconciled it)\n");
    }
}
