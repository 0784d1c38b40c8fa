package io.harperdb.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void namesTheMetricsAndNothingElse() {
        assertThat(PromQl.metricNames("harperdb_up == 0")).containsExactly("harperdb_up");
        assertThat(PromQl.metricNames("harperdb_operator_cluster_ready_members < harperdb_operator_cluster_members"))
                .containsExactly("harperdb_operator_cluster_members", "harperdb_operator_cluster_ready_members");
        assertThat(PromQl.metricNames("min by (cluster) (x_seconds{namespace=\"$namespace\", cluster=~\"a|b\"} - time()) / 86400 > 1e3"))
                .containsExactly("x_seconds");
        assertThat(PromQl.metricNames("rate(a_total[5m]) and on (pod) b offset 5m unless bool c"))
                .containsExactly("a_total", "b", "c");
        assertThat(PromQl.metricNames("sum without (peer) (rate(d[$__rate_interval]))")).containsExactly("d");
    }
}
