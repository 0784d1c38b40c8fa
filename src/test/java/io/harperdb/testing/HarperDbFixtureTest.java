package io.harperdb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.parallel.Isolated;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fixture against real HarperDB 4.7.29 instances. */
@Isolated("uses the real HarperDB instances: alone, so that no other class takes their CPUs")
@HarperDb
class HarperDbFixtureTest {
  private static final Duration LINK_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void startsHealthyInstancesOnTheirOwnAddresses(HarperDbCluster cluster) {
    assertThat(cluster.size()).isEqualTo(3);
    String first = System.getProperty("harperdb.test.firstAddress", "127.0.0.11");
    String prefix = first.substring(0, first.lastIndexOf('.') + 1);
    int last = Integer.parseInt(first.substring(first.lastIndexOf('.') + 1));
    for (HarperDbInstance i : cluster.instances()) {
      // position i, or its spare's address once reinstall() swapped one in
      String ip = i.hostname().equals(prefix + (last + i.index())) ? i.hostname()
          : prefix + (last + i.index() + HarperDbFixture.SPARE_OFFSET);
      assertThat(i.hostname()).isEqualTo(ip);
      assertThat(i.name()).isEqualTo(ip);
      assertThat(i.operationsUrl()).isEqualTo("http://" + ip + ":9925");
      assertThat(i.replicationUrl()).isEqualTo("wss://" + ip + ":9933");
      assertThat(i.isHealthy()).as("%s healthy", i).isTrue();
      // the node name HarperDB uses is the replication hostname
      assertThat(i.clusterStatus().path("node_name").asText()).isEqualTo(ip);
      // each instance is the leader of its own process group
      assertThat(ProcessGroups.members(i.pid())).contains(i.pid());
      assertThat(i.rssKiB()).isPositive();
    }
    assertThat(cluster.instance(0).password()).hasSizeGreaterThanOrEqualTo(24);
  }

  @Test
  void stopMakesHealthFailAndStartRestartsWithTheSameData(HarperDbCluster cluster) {
    HarperDbInstance one = cluster.instance(1);
    one.post(Map.of("operation", "create_table", "database", "data", "table", "dog", "primary_key", "id"));
    one.post(Map.of("operation", "insert", "database", "data", "table", "dog",
        "records", List.of(Map.of("id", 7, "name", "Rex"))));
    long pgid = one.pid();

    cluster.stop(1);

    assertThat(one.isHealthy()).isFalse();
    assertThat(one.isRunning()).isFalse();
    assertThat(ProcessGroups.members(pgid)).as("processes left in group %s", pgid).isEmpty();
    assertThat(cluster.instance(0).isHealthy()).as("the others keep running").isTrue();

    cluster.start(1);

    assertThat(one.isHealthy()).isTrue();
    assertThat(one.pid()).isNotEqualTo(pgid);
    JsonNode dog = one.post(Map.of("operation", "search_by_id", "database", "data", "table", "dog",
        "ids", List.of(7), "get_attributes", List.of("*")));
    assertThat(dog.path(0).path("name").asText()).as("data kept across the restart").isEqualTo("Rex");
  }

  @Test
  void resetTopologyRemovesALinkMadeByAddNode(HarperDbCluster cluster) {
    HarperDbInstance a = cluster.instance(0);
    HarperDbInstance b = cluster.instance(1);

    addNode(a, b, null);
    awaitConnected(a, b);
    awaitConnected(b, a);

    cluster.resetTopology();

    for (HarperDbInstance i : List.of(a, b)) {
      assertThat(i.connectionNames()).as("%s cluster_status", i).isEmpty();
      assertThat(i.nodeRecordNames()).as("%s hdb_nodes", i).isSubsetOf(i.name());
    }

    // and the instances can be linked again afterwards
    addNode(a, b, null);
    awaitConnected(a, b);
    awaitConnected(b, a);
  }

  @Test
  void resetTopologyAlsoClearsAPublishOnlyLink(HarperDbCluster cluster) {
    // X = instance 2 receives data.dog from 0 and publishes nothing: 0's side of that link has no
    // database sockets, the case where HarperDB keeps listing X after the record is gone
    HarperDbInstance a = cluster.instance(0);
    HarperDbInstance x = cluster.instance(2);
    a.post(Map.of("operation", "create_table", "database", "data", "table", "dog", "primary_key", "id"));
    x.post(Map.of("operation", "create_table", "database", "data", "table", "dog", "primary_key", "id"));
    addNode(a, x, List.of(Map.of("database", "data", "table", "dog", "subscribe", false, "publish", true)));
    awaitConnected(x, a);
    await().atMost(LINK_TIMEOUT).until(() -> a.connectionNames().contains(x.name()));

    cluster.resetTopology();

    for (HarperDbInstance i : cluster.instances()) {
      assertThat(i.connectionNames()).as("%s cluster_status", i).isEmpty();
      assertThat(i.nodeRecordNames()).as("%s hdb_nodes", i).isSubsetOf(i.name());
    }
  }

  @Test
  void resetTopologyEmptiesRoutes(HarperDbCluster cluster) {
    HarperDbInstance a = cluster.instance(0);
    a.post(Map.of("operation", "cluster_set_routes", "server", "hub",
        "routes", List.of(Map.of("host", cluster.instance(1).hostname(), "port", 9933))));
    assertThat(routesInConfig(a)).hasSize(1);

    cluster.resetTopology();

    assertThat(routesInConfig(a)).isEmpty();
  }

  @Test
  void dataHelperCreatesInsertsAndReadsBack(HarperDbCluster cluster) {
    HarperDbInstance a = cluster.instance(0);
    a.post("""
        {"operation":"create_table","database":"data","table":"dog","primary_key":"id"}""");
    JsonNode inserted = a.post("""
        {"operation":"insert","database":"data","table":"dog",
         "records":[{"id":1,"name":"Penny","breed":"Whippet"},{"id":2,"name":"Kato","breed":"Husky"}]}""");
    assertThat(inserted.path("inserted_hashes")).hasSize(2);

    JsonNode read = a.post("""
        {"operation":"search_by_id","database":"data","table":"dog","ids":[1],"get_attributes":["*"]}""");
    assertThat(read.path(0).path("name").asText()).isEqualTo("Penny");
    JsonNode sql = a.post(Map.of("operation", "sql", "sql", "SELECT name FROM data.dog WHERE breed = 'Husky'"));
    assertThat(sql.path(0).path("name").asText()).isEqualTo("Kato");

    // errors come back as an exception that carries HarperDB's answer
    HarperDbInstance.Answer missing = a.call(Map.of("operation", "describe_table", "database", "data", "table", "cat"));
    assertThat(missing.ok()).isFalse();
    assertThat(missing.body().path("error").asText()).isNotEmpty();

    cluster.dropDatabases();
    assertThat(a.post("{\"operation\":\"describe_all\"}").has("data")).isFalse();
  }

  @Test
  void reinstallGivesEveryPositionAFreshInstanceMadeReadyWhileTheLastTestRan(HarperDbCluster cluster) {
    HarperDbInstance a = cluster.instance(0);
    a.post(Map.of("operation", "create_table", "database", "data", "table", "dog", "primary_key", "id"));
    addNode(a, cluster.instance(1), null);
    awaitConnected(a, cluster.instance(1));

    cluster.reinstall(); // in place, or a spare swapped in if an earlier test of this run reinstalled
    assertFresh(cluster);
    HarperDbInstance used = cluster.instance(0);
    used.post(Map.of("operation", "create_table", "database", "data", "table", "cat", "primary_key", "id"));

    cluster.reinstall(); // every position has a spare by now: swapped in, the used instance made the next spare

    assertFresh(cluster);
    HarperDbInstance swapped = cluster.instance(0);
    assertThat(swapped.index()).isZero();
    assertThat(swapped.hostname()).as("position 0 on its other address").isNotEqualTo(used.hostname());
    assertThat(swapped.clusterStatus().path("node_name").asText()).isEqualTo(swapped.hostname());
  }

  private static void assertFresh(HarperDbCluster cluster) {
    for (HarperDbInstance i : cluster.instances()) {
      assertThat(i.isHealthy()).as("%s healthy", i).isTrue();
      assertThat(i.post("{\"operation\":\"describe_all\"}").has("data")).as("%s has no data", i).isFalse();
      assertThat(i.connectionNames()).as("%s cluster_status", i).isEmpty();
      assertThat(i.nodeRecordNames()).as("%s hdb_nodes", i).isSubsetOf(i.name());
    }
  }

  @Test
  @HarperDb(instances = 4)
  void startsMoreInstancesWhenATestAsksForThem(HarperDbCluster cluster) {
    assertThat(cluster.size()).isEqualTo(4);
    assertThat(cluster.instances()).allMatch(HarperDbInstance::isHealthy);
  }

  private static void addNode(HarperDbInstance from, HarperDbInstance to, List<Map<String, Object>> subscriptions) {
    var operation = new java.util.LinkedHashMap<String, Object>(Map.of(
        "operation", "add_node", "hostname", to.hostname(), "verify_tls", false,
        "authorization", Map.of("username", to.username(), "password", to.password())));
    if (subscriptions != null) {
      operation.put("subscriptions", subscriptions);
    }
    JsonNode answer = from.post(operation);
    assertThat(answer.path("message").asText()).startsWith("Successfully added").doesNotContain("error");
  }

  /** {@code from}'s cluster_status shows a connected database socket to {@code to}. */
  private static void awaitConnected(HarperDbInstance from, HarperDbInstance to) {
    await().atMost(LINK_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
      for (JsonNode c : from.clusterStatus().path("connections")) {
        if (c.path("name").asText().equals(to.name())) {
          for (JsonNode socket : c.path("database_sockets")) {
            if (socket.path("connected").asBoolean(false)) {
              return true;
            }
          }
        }
      }
      return false;
    });
  }

  private static JsonNode routesInConfig(HarperDbInstance i) {
    return i.post("{\"operation\":\"get_configuration\"}").path("replication").path("routes");
  }
}
