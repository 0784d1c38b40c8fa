package io.harperdb.testing;

import java.util.List;

/**
 * The instances a test asked for (the first {@code size()} of the run's shared instances), and
 * what a test may do to them. Resolved as a parameter by {@link HarperDbExtension}.
 *
 * <pre>{@code
 * @HarperDb(instances = 3)
 * class MyTest {
 *   @Test
 *   void replicates(HarperDbCluster cluster) {
 *     HarperDbInstance a = cluster.instance(0), b = cluster.instance(1);
 *     a.post(Map.of("operation", "add_node", "hostname", b.hostname(), "verify_tls", false,
 *         "authorization", Map.of("username", b.username(), "password", b.password())));
 *   }
 * }
 * }</pre>
 */
public final class HarperDbCluster {
  private final HarperDbFixture fixture;
  private final List<HarperDbInstance> instances;

  HarperDbCluster(HarperDbFixture fixture, List<HarperDbInstance> instances) {
    this.fixture = fixture;
    this.instances = instances;
  }

  public int size() {
    return instances.size();
  }

  public HarperDbInstance instance(int index) {
    return instances.get(index);
  }

  public List<HarperDbInstance> instances() {
    return instances;
  }

  /** Stops instance {@code index} (kills its process group); its data and config stay. */
  public void stop(int index) {
    check(index);
    fixture.stop(index);
  }

  /** Starts instance {@code index} again (no reinstall) and waits until /health answers. */
  public void start(int index) {
    check(index);
    fixture.start(index);
  }

  /** See {@link HarperDbFixture#resetTopology()}: no peer records, connections or routes anywhere. */
  public void resetTopology() {
    fixture.resetTopology();
  }

  /**
   * Wipes and reinstalls every instance of the run (in parallel, about as long as the first start):
   * HarperDB 4.7.29 keeps state across remove_node and restarts (peer certificates, deletions still
   * queued for replication) that was seen to keep fresh links from connecting in a later test.
   * Addresses, names and credentials stay the same.
   */
  public void reinstall() {
    fixture.reinstall();
  }

  /** Drops every database but {@code system} on every instance. */
  public void dropDatabases() {
    fixture.dropDatabases();
  }

  /** What the extension does before each test: every instance running, detached, without data. */
  public void reset() {
    fixture.resetTopology();
    fixture.dropDatabases();
  }

  private void check(int index) {
    if (index < 0 || index >= instances.size()) {
      throw new IndexOutOfBoundsException("instance " + index + " of a cluster of " + instances.size());
    }
  }
}
