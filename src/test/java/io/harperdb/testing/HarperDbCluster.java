package io.harperdb.testing;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The instances a test asked for (the first {@code size()} positions of the run's shared instances), and
 * what a test may do to them. Resolved as a parameter by {@link HarperDbExtension}. {@link #reinstall()} may put
 * other instances (other addresses) at these positions: ask {@link #instance(int)} again after it.
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
  private final int size;

  HarperDbCluster(HarperDbFixture fixture, int size) {
    this.fixture = fixture;
    this.size = size;
  }

  public int size() {
    return size;
  }

  public HarperDbInstance instance(int index) {
    check(index);
    return fixture.instance(index);
  }

  public List<HarperDbInstance> instances() {
    return IntStream.range(0, size).mapToObj(fixture::instance).toList();
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
   * Gives every instance of this cluster (the first {@link #size()} of the run) a fresh install: HarperDB 4.7.29
   * keeps state across remove_node and restarts (peer certificates, deletions still queued for replication) that
   * was seen to keep fresh links from connecting in a later test. Instances prepared in the background while the
   * previous test ran are swapped in where ready ({@link HarperDbFixture#reinstall(int)}), so a position's address
   * and name may change (between two addresses); credentials stay the same. The run's other instances are left
   * alone: their restarts would take the CPUs from this test's.
   */
  public void reinstall() {
    fixture.reinstall(size);
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
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("instance " + index + " of a cluster of " + size);
    }
  }
}
