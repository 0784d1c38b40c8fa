package io.harperdb.replication.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The cluster_status model, parsed with a plain ObjectMapper (no lenient configuration): the model's
 * own annotations must accept every 4.x shape.
 */
class ClusterStatusTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The 4.7.29 example of docs/harperdb-notes.md. */
    static final String STATUS_4_7 = """
            {"type":"cluster-status","node_name":"127.0.0.11","url":"wss://127.0.0.11:9933","is_enabled":true,
             "connections":[{"name":"127.0.0.12","url":"wss://127.0.0.12:9933","replicates":true,
               "subscriptions":null,"ca_info":{"issuer":"...","validTo":"..."},
               "database_sockets":[{"database":"data","connected":true,"latency":0.7,"threadId":1,
                 "nodes":["127.0.0.12"],"lastReceivedVersion":0,"backPressurePercent":0,
                 "lastReceivedStatus":"Waiting"}]}]}
            """;

    /** A 4.5-style answer: thread_id, the timing strings, no backPressurePercent nor lastReceivedStatus. */
    static final String STATUS_4_5 = """
            {"type":"cluster-status","node_name":"server-1","is_enabled":true,
             "connections":[{"replicateByDefault":true,"replicates":true,"url":"wss://server-2:9933",
               "name":"server-2","subscriptions":null,
               "database_sockets":[{"database":"data","connected":true,"latency":0.70,"thread_id":1,
                 "nodes":["server-2"],
                 "lastCommitConfirmed":"Wed, 12 Feb 2025 19:09:34 GMT",
                 "lastReceivedRemoteTime":"Wed, 12 Feb 2025 16:49:29 GMT",
                 "lastReceivedLocalTime":"Wed, 12 Feb 2025 16:50:59 GMT",
                 "lastSendTime":"Wed, 12 Feb 2025 16:50:59 GMT"}]}]}
            """;

    /** Three members seen from a: b fully replicating with two databases, c partial. */
    static final String THREE_MEMBERS = """
            {"type":"cluster-status","node_name":"a","url":"wss://a:9933","is_enabled":true,
             "connections":[
               {"name":"b","url":"wss://b:9933","replicates":true,"subscriptions":null,
                "database_sockets":[
                  {"database":"data","connected":true,"latency":0.7,"threadId":1,"nodes":["b","c"],
                   "lastCommitConfirmed":"Wed, 12 Feb 2025 19:09:34 GMT",
                   "lastReceivedRemoteTime":"Wed, 12 Feb 2025 16:49:29 GMT",
                   "lastReceivedLocalTime":"Wed, 12 Feb 2025 16:50:59 GMT",
                   "lastReceivedVersion":1739378969000.5,"backPressurePercent":0,
                   "lastReceivedStatus":"Waiting"},
                  {"database":"system","connected":true,"latency":0.4,"threadId":1,"nodes":["b"],
                   "lastReceivedStatus":"Waiting","backPressurePercent":0}]},
               {"name":"c","url":"wss://c:9933","replicates":false,
                "subscriptions":[{"database":"data","table":"dog","subscribe":false,"publish":true}],
                "database_sockets":[
                  {"database":"data","connected":true,"latency":1.3,"threadId":1,"nodes":["c"],
                   "sendingMessage":"Wed, 12 Feb 2025 16:51:00 GMT","backPressurePercent":0,
                   "lastReceivedStatus":"Receiving"}]}]}
            """;

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static ClusterStatus status(JsonNode json) {
        try {
            return MAPPER.treeToValue(json, ClusterStatus.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static ClusterStatus status(String text) {
        return status(json(text));
    }

    static ArrayNode connections(ObjectNode status) {
        return (ArrayNode) status.get("connections");
    }

    static ObjectNode peer(ObjectNode status, String name) {
        for (JsonNode p : connections(status)) {
            if (name.equals(p.path("name").asText())) return (ObjectNode) p;
        }
        throw new AssertionError("no peer " + name);
    }

    static ObjectNode socket(ObjectNode status, String peer, String database) {
        for (JsonNode s : peer(status, peer).get("database_sockets")) {
            if (database.equals(s.path("database").asText())) return (ObjectNode) s;
        }
        throw new AssertionError("no socket " + peer + "/" + database);
    }

    @Nested
    class Parsing {
        @Test
        void parsesTheExampleOf47() {
            ClusterStatus status = status(STATUS_4_7);

            assertThat(status.nodeName()).isEqualTo("127.0.0.11");
            assertThat(status.url()).isEqualTo("wss://127.0.0.11:9933");
            assertThat(status.isEnabled()).isTrue();
            assertThat(status.peers()).hasSize(1);
            PeerConnection peer = status.peer("127.0.0.12").orElseThrow();
            assertThat(peer.url()).isEqualTo("wss://127.0.0.12:9933");
            assertThat(peer.replicates()).isTrue();
            assertThat(peer.subscriptions()).isNull();
            assertThat(peer.isConnected()).isTrue();
            DatabaseSocket socket = peer.sockets().get(0);
            assertThat(socket.database()).isEqualTo("data");
            assertThat(socket.connected()).isTrue();
            assertThat(socket.latency()).isEqualTo(0.7);
            assertThat(socket.threadId()).isEqualTo(1);
            assertThat(socket.nodes()).containsExactly("127.0.0.12");
            assertThat(socket.lastReceivedVersion()).isEqualTo(0);
            assertThat(socket.backPressurePercent()).isEqualTo(0.0);
            assertThat(socket.lastReceivedStatus()).isEqualTo("Waiting");
            assertThat(socket.lastCommitConfirmed()).isNull();
            assertThat(socket.sendingMessage()).isNull();
        }

        @Test
        void parsesA45StyleAnswerWithThreadIdAndWithoutThe47Fields() {
            ClusterStatus status = status(STATUS_4_5);

            assertThat(status.nodeName()).isEqualTo("server-1");
            assertThat(status.url()).isNull();
            PeerConnection peer = status.peer("server-2").orElseThrow();
            assertThat(peer.isConnected()).isTrue();
            DatabaseSocket socket = peer.sockets().get(0);
            assertThat(socket.threadId()).as("thread_id read as threadId").isEqualTo(1);
            assertThat(socket.backPressurePercent()).isNull();
            assertThat(socket.lastReceivedStatus()).isNull();
            assertThat(socket.lastCommitConfirmed()).isEqualTo("Wed, 12 Feb 2025 19:09:34 GMT");
            assertThat(socket.lastReceivedRemoteTime()).isEqualTo("Wed, 12 Feb 2025 16:49:29 GMT");
            assertThat(socket.lastReceivedLocalTime()).isEqualTo("Wed, 12 Feb 2025 16:50:59 GMT");
        }

        @Test
        void ignoresUnknownFieldsAtEveryLevel() {
            ObjectNode json = json(THREE_MEMBERS);
            json.put("future_field", "x");
            json.putObject("future_object").put("a", 1);
            peer(json, "b").put("shard", 3).putArray("revoked_certificates").add("01");
            socket(json, "b", "data").put("queueLength", 7).putObject("stats").put("sent", 3);
            ((ObjectNode) peer(json, "c").get("subscriptions").get(0)).put("replicateByDefault", false);

            ClusterStatus status = status(json);

            assertThat(status.sameTopologyAs(status(THREE_MEMBERS))).isTrue();
            assertThat(status.peer("c").orElseThrow().subscriptions())
                    .containsExactly(Subscription.of("data", "dog", false, true));
        }

        @Test
        void missingConnectionsGiveNoPeers() {
            ClusterStatus status = status("{\"type\":\"cluster-status\",\"node_name\":\"a\",\"is_enabled\":false}");

            assertThat(status.connections()).isNull();
            assertThat(status.peers()).isEmpty();
            assertThat(status.peer("b")).isEmpty();
        }

        @Test
        void nullConnectionsGiveNoPeers() {
            assertThat(status("{\"node_name\":\"a\",\"connections\":null}").peers()).isEmpty();
        }

        @Test
        void missingOrNullDatabaseSocketsGiveNoSockets() {
            ClusterStatus status = status("""
                    {"node_name":"a","connections":[{"name":"b"},{"name":"c","database_sockets":null},
                                                    {"name":"d","database_sockets":[]}]}
                    """);

            assertThat(status.peers()).extracting(PeerConnection::name).containsExactly("b", "c", "d");
            assertThat(status.peers()).allSatisfy(p -> assertThat(p.sockets()).isEmpty());
        }

        @Test
        void anEmptyObjectIsAStatusWithNothingKnown() {
            ClusterStatus status = status("{}");

            assertThat(status.nodeName()).isNull();
            assertThat(status.isEnabled()).isNull();
            assertThat(status.peers()).isEmpty();
        }

        @Test
        void fieldsMissingInASocketAreNull() {
            DatabaseSocket socket = status("{\"connections\":[{\"name\":\"b\",\"database_sockets\":[{}]}]}")
                    .peer("b").orElseThrow().sockets().get(0);

            assertThat(socket.database()).isNull();
            assertThat(socket.connected()).isNull();
            assertThat(socket.isConnected()).isFalse();
            assertThat(socket.threadId()).isNull();
            assertThat(socket.nodes()).isNull();
        }
    }

    @Nested
    class SameTopology {
        @Test
        void twoReadsDifferingOnlyInVolatileFiguresAndOrderAreTheSame() {
            ObjectNode second = json(THREE_MEMBERS);
            ObjectNode bData = socket(second, "b", "data");
            bData.put("latency", 12.25);
            bData.put("lastCommitConfirmed", "Wed, 12 Feb 2025 19:10:00 GMT");
            bData.put("lastReceivedRemoteTime", "Wed, 12 Feb 2025 19:10:01 GMT");
            bData.put("lastReceivedLocalTime", "Wed, 12 Feb 2025 19:10:02 GMT");
            bData.put("lastReceivedVersion", 1739387402000.25);
            bData.put("lastReceivedStatus", "Receiving");
            bData.put("sendingMessage", "Wed, 12 Feb 2025 19:10:03 GMT");
            ObjectNode cData = socket(second, "c", "data");
            cData.remove("sendingMessage");
            cData.put("latency", 0.2);
            cData.put("lastReceivedStatus", "Waiting");
            // peers, and b's sockets and nodes, in another order
            ArrayNode peers = connections(second);
            peers.insert(0, peers.remove(1));
            ArrayNode bSockets = (ArrayNode) peer(second, "b").get("database_sockets");
            bSockets.insert(0, bSockets.remove(1));
            ArrayNode nodes = (ArrayNode) bData.get("nodes");
            nodes.insert(0, nodes.remove(1));

            ClusterStatus first = status(THREE_MEMBERS);
            ClusterStatus again = status(second);

            assertThat(again).isNotEqualTo(first);
            assertThat(again.sameTopologyAs(first)).isTrue();
            assertThat(first.sameTopologyAs(again)).isTrue();
            assertThat(again.withoutVolatileFigures()).isEqualTo(first.withoutVolatileFigures());
            assertThat(again.withoutVolatileFigures().hashCode()).isEqualTo(first.withoutVolatileFigures().hashCode());
        }

        @Test
        void aStatusIsTheSameAsItselfAndNotAsNull() {
            ClusterStatus status = status(THREE_MEMBERS);

            assertThat(status.sameTopologyAs(status)).isTrue();
            assertThat(status.sameTopologyAs(null)).isFalse();
        }

        @Test
        void missingAndEmptyConnectionsAreTheSame() {
            assertThat(status("{\"node_name\":\"a\"}").sameTopologyAs(status("{\"node_name\":\"a\",\"connections\":[]}")))
                    .isTrue();
        }

        @Test
        void aSocketThatDisconnectsIsAChange() {
            ObjectNode second = json(THREE_MEMBERS);
            socket(second, "b", "system").put("connected", false);

            assertThat(status(second).sameTopologyAs(status(THREE_MEMBERS))).isFalse();
            assertThat(status(THREE_MEMBERS).sameTopologyAs(status(second))).isFalse();
        }

        @Test
        void aPeerThatAppearsIsAChange() {
            ObjectNode second = json(THREE_MEMBERS);
            connections(second).addObject().put("name", "d").put("url", "wss://d:9933").put("replicates", true)
                    .putArray("database_sockets");

            assertThat(status(second).sameTopologyAs(status(THREE_MEMBERS))).isFalse();
        }

        @Test
        void aPeerThatLeavesIsAChange() {
            ObjectNode second = json(THREE_MEMBERS);
            connections(second).remove(1);

            assertThat(status(second).sameTopologyAs(status(THREE_MEMBERS))).isFalse();
        }

        @Test
        void aSocketThatAppearsOrLeavesIsAChange() {
            ObjectNode fewer = json(THREE_MEMBERS);
            ((ArrayNode) peer(fewer, "b").get("database_sockets")).remove(1);

            assertThat(status(fewer).sameTopologyAs(status(THREE_MEMBERS))).isFalse();
        }

        @Test
        void changedSubscriptionsAreAChange() {
            ObjectNode flipped = json(THREE_MEMBERS);
            ((ObjectNode) peer(flipped, "c").get("subscriptions").get(0)).put("subscribe", true);
            ObjectNode added = json(THREE_MEMBERS);
            ((ArrayNode) peer(added, "c").get("subscriptions")).addObject()
                    .put("database", "data").put("table", "cat").put("subscribe", true).put("publish", true);
            ObjectNode full = json(THREE_MEMBERS);
            peer(full, "c").putNull("subscriptions");

            ClusterStatus first = status(THREE_MEMBERS);
            assertThat(status(flipped).sameTopologyAs(first)).isFalse();
            assertThat(status(added).sameTopologyAs(first)).isFalse();
            assertThat(status(full).sameTopologyAs(first)).isFalse();
        }

        @Test
        void aPeerThatStopsReplicatingOrMovesIsAChange() {
            ObjectNode notReplicating = json(THREE_MEMBERS);
            peer(notReplicating, "b").put("replicates", false);
            ObjectNode moved = json(THREE_MEMBERS);
            peer(moved, "b").put("url", "wss://b.elsewhere:9933");

            assertThat(status(notReplicating).sameTopologyAs(status(THREE_MEMBERS))).isFalse();
            assertThat(status(moved).sameTopologyAs(status(THREE_MEMBERS))).isFalse();
        }

        @Test
        void theNodesBehindASocketAreTopology() {
            ObjectNode second = json(THREE_MEMBERS);
            ((ArrayNode) socket(second, "b", "data").get("nodes")).remove(1);

            assertThat(status(second).sameTopologyAs(status(THREE_MEMBERS))).isFalse();
        }
    }

    @Nested
    class PeerConnected {
        static PeerConnection peerWith(String socketsJson) {
            return status("{\"connections\":[{\"name\":\"b\"" + socketsJson + "}]}").peer("b").orElseThrow();
        }

        @Test
        void aPeerWithoutSocketsIsNotConnected() {
            assertThat(peerWith("").isConnected()).isFalse();
            assertThat(peerWith(",\"database_sockets\":null").isConnected()).isFalse();
            assertThat(peerWith(",\"database_sockets\":[]").isConnected()).isFalse();
        }

        @Test
        void aPeerIsConnectedWhenEverySocketIs() {
            assertThat(peerWith(",\"database_sockets\":[{\"database\":\"data\",\"connected\":true},"
                    + "{\"database\":\"system\",\"connected\":true}]").isConnected()).isTrue();
        }

        @Test
        void oneSocketDownMeansThePeerIsNotConnected() {
            assertThat(peerWith(",\"database_sockets\":[{\"database\":\"data\",\"connected\":true},"
                    + "{\"database\":\"system\",\"connected\":false}]").isConnected()).isFalse();
        }

        @Test
        void aSocketWithoutConnectedFlagIsNotConnected() {
            assertThat(peerWith(",\"database_sockets\":[{\"database\":\"data\",\"connected\":true},"
                    + "{\"database\":\"system\"}]").isConnected()).isFalse();
        }
    }

    @Test
    void peerLooksUpByName() {
        ClusterStatus status = status(THREE_MEMBERS);

        assertThat(status.peer("c").map(PeerConnection::replicates)).contains(false);
        assertThat(status.peer("z")).isEmpty();
        assertThat(status.peers()).extracting(PeerConnection::name).isEqualTo(List.of("b", "c"));
    }
}
