package io.harperdb.replication.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

class CaInfoTest {

    @Test
    void aSubjectInNodesFormIsTheNameJavaPrintsTheOtherWayRound() {
        // Node prints the most significant name first, a line each; RFC 2253 (Java) the least significant first
        CaInfo held = new CaInfo("C=US\nO=Example, Inc.\nCN=users CA", "C=US\nO=Example\\, Inc.\nCN=users CA", "1A");

        assertThat(held.isNamed(new X500Principal("CN=users CA, O=Example\\, Inc., C=US"))).contains(true);
        assertThat(held.isNamed(new X500Principal("CN=users CA,O=Example\\, Inc.,C=US"))).as("spacing aside").contains(true);
        assertThat(held.isNamed(new X500Principal("CN=users CA, O=Example, C=US"))).contains(false);
        assertThat(new CaInfo(null, "CN=harperdb-operator CA default/demo", null)
                .isNamed(new X500Principal("CN=harperdb-operator CA default/demo"))).contains(true);
    }

    @Test
    void whatCannotBeReadDecidesNothing() {
        X500Principal any = new X500Principal("CN=users CA");

        assertThat(new CaInfo("CN=x", null, "1A").isNamed(any)).isEmpty();
        assertThat(new CaInfo("CN=x", " ", "1A").isNamed(any)).isEmpty();
        assertThat(new CaInfo("CN=x", "not a name", "1A").isNamed(any)).isEmpty();
        assertThat(new CaInfo("CN=x", "CN=users CA", "1A").isNamed(null)).isEmpty();
    }

    @Test
    void readFromAConnectionOfClusterStatusAsHarperDb4729SendsIt() throws Exception {
        // as 4.7.29 answered in ClusterTlsIT (trimmed)
        String json = """
                {"type":"cluster-status","node_name":"demo-1.demo-hdb.default.svc","url":"wss://demo-1.demo-hdb.default.svc:9933",
                 "is_enabled":true,"connections":[{"url":"wss://demo-0.demo-hdb.default.svc:9933","subscriptions":null,
                 "ca_info":{"issuer":"CN=harperdb-operator CA default/demo","subject":"CN=harperdb-operator CA default/demo",
                 "serialNumber":"39D201CCD3E7CE4498237BE1304B3AAA","validFrom":"Dec  4 00:04:51 2026 GMT",
                 "validTo":"Dec  1 00:09:51 2036 GMT"},"replicates":true,"name":"demo-0.demo-hdb.default.svc",
                 "database_sockets":[{"database":"data","connected":false,"threadId":1}]}]}
                """;

        ClusterStatus status = new ObjectMapper().readValue(json, ClusterStatus.class);
        CaInfo ca = status.peers().get(0).caInfo();

        assertThat(ca).isEqualTo(new CaInfo("CN=harperdb-operator CA default/demo", "CN=harperdb-operator CA default/demo",
                "39D201CCD3E7CE4498237BE1304B3AAA"));
        // the records (read less often) carry no sockets nor this poll's CA: the membership view keeps cluster_status's
        ClusterStatus members = status.withMembership(java.util.List.of(
                new NodeRecord("demo-0.demo-hdb.default.svc", "wss://demo-0.demo-hdb.default.svc:9933", true, null)));
        assertThat(members.peers().get(0).caInfo()).isEqualTo(ca);
    }
}
