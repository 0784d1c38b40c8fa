package io.harperdb.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Phase;
import io.harperdb.operator.testing.pods.PodContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code examples/table-subscriptions.yaml} as written: three HarperDB hosts outside the cluster (hq, store-1,
 * store-2, https Operations APIs, one super_user in the Secret shop-admin), declared by url only. The tables
 * exist on each before (the operator replicates tables, it does not create them). What the comments promise:
 * products written on hq reach the stores, orders written on a store reach hq; a store's products reach no
 * one (publish: false) and hq's orders reach no store (subscribe: false), nor do a store's orders reach the
 * other store.
 */
class TableSubscriptionsIT {
    private static final List<String> HOSTS = List.of("hdb-hq.example.com", "hdb-store-1.example.com", "hdb-store-2.example.com");
    private static final Duration ARRIVES = Duration.ofSeconds(90);
    /** How long a record that must not arrive is given, after a later one on the same path arrived. */
    private static final Duration STAYS_AWAY = Duration.ofSeconds(15);

    private PodContract k8s;

    @BeforeEach
    void start() {
        k8s = new PodContract(Path.of("target/pod-contract/table-subscriptions"));
    }

    @AfterEach
    void stop() {
        k8s.close();
    }

    @Test
    void productsFlowFromHqAndOrdersFromTheStoresAndNothingElse() throws InterruptedException {
        String password = k8s.createAdminSecret("shop-admin");
        HOSTS.forEach(host -> k8s.kubelet().runHost(host, "admin", password, true));
        ExampleData data = new ExampleData(k8s, "admin", password);
        String hq = ops("hdb-hq.example.com");
        String store1 = ops("hdb-store-1.example.com");
        String store2 = ops("hdb-store-2.example.com");
        for (String host : List.of(hq, store1, store2)) {
            await("the Operations API of " + host).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> k8s.call(host, "admin", password, Map.of("operation", "describe_all")) != null);
            data.createTable(host, "products");
            data.createTable(host, "orders");
        }
        k8s.apply(Path.of("examples/table-subscriptions.yaml"));

        await("shop Ready 3/3").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            HarperCluster shop = k8s.cluster("shop");
            assertThat(shop.getStatus()).isNotNull();
            assertThat(shop.getStatus().getPhase()).as("%s", shop.getStatus()).isEqualTo(Phase.READY);
            assertThat(shop.getStatus().getReadyMembers()).isEqualTo("3/3");
        });

        // What must not travel is written first; the records written after it on the same links arriving shows
        // that replication ran since.
        data.insert(store1, "products", "p-store-1", "on store-1");
        data.insert(hq, "orders", "o-hq", "on hq");
        data.insert(store1, "orders", "o-store-1", "on store-1");
        data.insert(store2, "orders", "o-store-2", "on store-2");
        data.insert(hq, "products", "p-hq", "on hq");

        arrives(data, store1, "products", "p-hq");
        arrives(data, store2, "products", "p-hq");
        arrives(data, hq, "orders", "o-store-1");
        arrives(data, hq, "orders", "o-store-2");

        Thread.sleep(STAYS_AWAY.toMillis());
        assertThat(data.has(hq, "products", "p-store-1")).as("store-1's product on hq (store publish: false)").isFalse();
        assertThat(data.has(store2, "products", "p-store-1")).as("store-1's product on store-2").isFalse();
        assertThat(data.has(store1, "orders", "o-hq")).as("hq's order on store-1 (store subscribe: false)").isFalse();
        assertThat(data.has(store2, "orders", "o-hq")).as("hq's order on store-2 (store subscribe: false)").isFalse();
        assertThat(data.has(store2, "orders", "o-store-1")).as("store-1's order on store-2").isFalse();
        assertThat(data.has(store1, "orders", "o-store-2")).as("store-2's order on store-1").isFalse();
    }

    private void arrives(ExampleData data, String on, String table, String id) {
        await(id + " on " + on).atMost(ARRIVES).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> data.has(on, table, id));
    }

    private static String ops(String host) {
        return "https://" + host + ":9925";
    }
}
