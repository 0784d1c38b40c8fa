package io.harperdb.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real HarperDB 4.7.29 instances of one test run (one JVM), shared by every test class.
 *
 * <p>{@link HarperDbExtension} creates it lazily in JUnit's root store, which closes it (stopping
 * every instance) when the run ends; {@link ProcessGroups}' shutdown hook covers failures and
 * Ctrl-C. Instance {@code i} listens on {@code firstAddress + i} (127.0.0.11, .12, ...) with the
 * standard ports, like pods do, or, once {@link #reinstall(int)} swapped in its spare, on {@code firstAddress + i +
 * SPARE_OFFSET} (127.0.0.21, ...). Instances are started when first asked for, several in parallel.
 *
 * <p>Settings (system properties): {@code harperdb.install.dir} (where {@code make test} installed
 * the npm package; default {@code <project>/.harperdb}), {@code harperdb.test.firstAddress}
 * (default 127.0.0.11), {@code harperdb.test.workDir} (default {@code
 * <project>/target/harperdb-instances}, emptied at the start of every run), {@code
 * harperdb.test.installTimeoutSeconds} (default 300) and {@code harperdb.test.startTimeoutSeconds}
 * (default 180).
 *
 * <p>Measured on the development machine (2 CPUs shared with other test runs, Node.js 20.20,
 * harperdb 4.7.29, THREADS_COUNT=1). Quiet machine, by hand: an install about 4 s, then {@code
 * run} until /health answers about 3.5 s (two at once took no longer). Inside test runs, with the
 * machine loaded by other runs (load average 13 to 15): starting 3 instances in parallel took 46,
 * 57 and 62 s (installs 18 to 40 s, runs 17 to 24 s), a 4th instance 27 to 41 s, a restart 13 to
 * 15 s. Each instance is one node process (14 threads) of 237 to 240 MiB RSS when idle (235 to
 * 243 MiB by hand); {@link HarperDbInstance#rssKiB()} reads it and the start logs it.
 *
 * <p>What a clean topology takes on real HarperDB 4.7.29 (found by experiment, see {@link
 * #resetTopology()}):
 *
 * <ul>
 *   <li>{@code remove_node} (field {@code hostname}) sent to A for B deletes B's record on A, and
 *       B deletes its own record, but B keeps its record of A (and of the other peers) and keeps
 *       listing A in {@code cluster_status} (disconnected). So every instance has to remove every
 *       peer record it still holds; after that, records and {@code cluster_status} are empty at
 *       once. {@code remove_node} also succeeds for a peer that is down.
 *   <li>add_node leaves a record of the instance itself in its {@code hdb_nodes}; it is harmless
 *       and kept (a later add_node works with it).
 *   <li>A link where this side only publishes (a partial member added with {@code subscribe:
 *       false}) has no database sockets on this side. HarperDB forgets a connection on record
 *       deletion only by looking through its database sockets, so this connection stays in {@code
 *       cluster_status} (no sockets) after its record is gone, for minutes. Only a restart of that
 *       instance clears it; the reset restarts such an instance.
 *   <li>A record can also be deleted directly (operation {@code delete}, database {@code system},
 *       table {@code hdb_nodes}, {@code ids}); the reset falls back to that when remove_node fails.
 *   <li>Routes: {@code cluster_set_routes}/{@code cluster_delete_routes} edit {@code
 *       replication.routes} in harperdb-config.yaml (shown by {@code get_configuration}) but
 *       compute the new list from the routes loaded at start ({@code cluster_get_routes}), not from
 *       the file: a second set replaces the first, a delete writes "loaded minus given" (so with
 *       nothing loaded it writes {@code []}, answering {@code deleted: []}). Object routes are
 *       compared by port only ({@code host === host || hostname === hostname} with both hostnames
 *       undefined), so {@code {host: B, port: 9933}} counts as already set when {@code {host: A,
 *       port: 9933}} is. Loaded routes go away only with a restart.
 * </ul>
 */
// AutoCloseable, not Store.CloseableResource: JUnit 5.13+ closes AutoCloseable store values at the
// end of their context (here: the run) and deprecates CloseableResource.
public final class HarperDbFixture implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HarperDbFixture.class);
  static final int DEFAULT_SIZE = 3;
  static final int MAX_SIZE = 9; // 127.0.0.11 .. 127.0.0.19 with the default first address
  /** A spare of position i listens on the address of position i + SPARE_OFFSET (127.0.0.21 .. 127.0.0.29). */
  static final int SPARE_OFFSET = 10;
  static final String HARPERDB_VERSION = "4.7.29";

  /** Where things are and the credentials of this run. */
  record Settings(Path installDir, Path node, Path harperdbJs, Path workDir, String firstAddress,
      String username, String password, Duration installTimeout, Duration startTimeout) {

    List<String> harperdbCommand(String verb) {
      return List.of(node.toString(), harperdbJs.toString(), verb);
    }

    String address(int index) {
      int dot = firstAddress.lastIndexOf('.');
      int last = Integer.parseInt(firstAddress.substring(dot + 1)) + index;
      if (last > 254) {
        throw new IllegalArgumentException("no address for instance " + index + " after " + firstAddress);
      }
      return firstAddress.substring(0, dot + 1) + last;
    }
  }

  private final Settings settings;
  private final OkHttpClient http;
  /** The instances tests see, by position: position i is on address i or on its spare's address. */
  private final List<HarperDbInstance> instances = new ArrayList<>();
  /** Per position, the instance that {@link #reinstall(int)} swaps in next, being made fresh in the background. */
  private final Map<Integer, Spare> spares = new HashMap<>();
  private final boolean useSpares;
  private final ExecutorService background = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "harperdb-spare");
    t.setDaemon(true);
    return t;
  });
  private RuntimeException startFailure; // fail the rest fast instead of waiting for each test
  private boolean closed;

  /** A fresh instance for a position and the background reinstall that makes it so. */
  private record Spare(HarperDbInstance instance, Future<?> ready) {}

  /**
   * The tests' fixture (through {@link HarperDbExtension}): {@link #reinstall(int)} swaps in spares prepared in the
   * background, unless {@code -Dharperdb.test.spares=false}.
   */
  public HarperDbFixture() {
    this(Boolean.parseBoolean(System.getProperty("harperdb.test.spares", "true")));
  }

  /**
   * @param useSpares whether {@link #reinstall(int)} swaps in instances made fresh in the background while the previous
   *     test ran (a test's time without the 5 to 6 s of a restart), or reinstalls in place (a benchmark main that
   *     must not share the CPUs with a background restart while it measures)
   */
  public HarperDbFixture(boolean useSpares) {
    this.useSpares = useSpares;
    Path project = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    Path installDir = installDir();
    settings = new Settings(
        installDir.toAbsolutePath(),
        findNode(),
        findHarperdb(installDir.toAbsolutePath()),
        Path.of(System.getProperty("harperdb.test.workDir",
            project.resolve("target/harperdb-instances").toString())).toAbsolutePath(),
        System.getProperty("harperdb.test.firstAddress", "127.0.0.11"),
        "admin",
        randomPassword(),
        // generous: install signs certificates in pure JS (node-forge) and generates 4096-bit RSA
        // keys; on a busy 2-CPU machine one install took from 4 s to over 90 s
        Duration.ofSeconds(Long.getLong("harperdb.test.installTimeoutSeconds", 300)),
        Duration.ofSeconds(Long.getLong("harperdb.test.startTimeoutSeconds", 180)));
    if (!Files.isExecutable(ProcessGroups.SETSID)) {
      throw new IllegalStateException(ProcessGroups.SETSID + " is missing: the HarperDB tests start each "
          + "instance in its own process group with it (package util-linux)");
    }
    checkPathForHarperDb(settings.workDir());
    killLeftoversOfEarlierRuns();
    deleteRecursively(settings.workDir()); // every run starts from fresh data
    http = new OkHttpClient.Builder()
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(60))
        // shorter than HarperDB's 30 s keep-alive, so a pooled connection is not reused after
        // HarperDB closed it; OkHttp also retries once on a stale connection (restarts)
        .connectionPool(new ConnectionPool(5, 10, TimeUnit.SECONDS))
        .build();
    LOG.info("HarperDB fixture: harperdb from {}, node {}, instances under {}, first address {}",
        settings.installDir(), settings.node(), settings.workDir(), settings.firstAddress());
  }

  /** A view of the first {@code size} instances, all running (started now if needed). */
  public synchronized HarperDbCluster cluster(int size) {
    ensureRunning(size);
    return new HarperDbCluster(this, size);
  }

  /** Creates the missing instances and starts every stopped one among the first {@code size}. */
  synchronized void ensureRunning(int size) {
    if (closed) {
      throw new IllegalStateException("the HarperDB fixture is closed");
    }
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("instances must be 1.." + MAX_SIZE + ", was " + size);
    }
    while (instances.size() < size) {
      int i = instances.size();
      instances.add(new HarperDbInstance(i, settings.address(i), settings, http));
    }
    List<HarperDbInstance> toStart =
        instances.subList(0, size).stream().filter(i -> !i.isRunning()).collect(Collectors.toList());
    if (toStart.isEmpty()) {
      return;
    }
    if (startFailure != null) {
      throw new IllegalStateException("HarperDB instances failed to start earlier in this run", startFailure);
    }
    long t0 = System.nanoTime();
    try {
      inParallel(toStart, HarperDbInstance::start);
    } catch (RuntimeException e) {
      startFailure = e;
      throw e;
    }
    LOG.info("started {} HarperDB instance(s) in {} ms; RSS: {}", toStart.size(), (System.nanoTime() - t0) / 1_000_000,
        toStart.stream().map(i -> i.hostname() + "=" + i.rssKiB() / 1024 + " MiB").collect(Collectors.joining(", ")));
  }

  synchronized void stop(int index) {
    instances.get(index).stop();
  }

  synchronized void start(int index) {
    instances.get(index).start();
  }

  /**
   * Detaches every instance of this run (not only a test's view: a link to an instance beyond it
   * would gossip back) from every other: no peer records in {@code system.hdb_nodes}, no
   * connection in {@code cluster_status}, no routes. Starts instances a test left stopped, since
   * they hold records too. Throws if the state is not clean at the end.
   */
  public synchronized void resetTopology() {
    List<HarperDbInstance> all = List.copyOf(instances);
    inParallel(all.stream().filter(i -> !i.isRunning()).collect(Collectors.toList()), HarperDbInstance::start);
    Set<HarperDbInstance> toRestart = new LinkedHashSet<>(clearRoutes(all));
    for (int round = 1; round <= 3; round++) {
      all.forEach(this::removePeerRecords);
      // remove_node on one side can race with the other side's deletion: check, then repeat
      if (awaitDetached(all, Duration.ofSeconds(3))) {
        break;
      }
      // records gone but cluster_status still lists a peer: the publish-only case (class comment)
      for (HarperDbInstance i : all) {
        if (peerRecords(i).isEmpty() && !i.connectionNames().isEmpty()) {
          LOG.info("{} still lists {} without records: restarting it", i, i.connectionNames());
          toRestart.add(i);
        }
      }
      restart(toRestart);
      toRestart.clear();
    }
    restart(toRestart);
    if (!awaitDetached(all, Duration.ofSeconds(10))) {
      throw new IllegalStateException("HarperDB topology not clean after reset: " + describe(all));
    }
  }

  /** The instance at {@code position} now (a spare swapped in by {@link #reinstall(int)} changes it). */
  synchronized HarperDbInstance instance(int position) {
    return instances.get(position);
  }

  /**
   * Makes the first {@code count} positions a fresh install (see {@link HarperDbInstance#reinstall()}); the others,
   * which the test does not use, are left as they are (a test that uses them reinstalls or resets them first), so
   * that no restart of theirs takes the CPUs from a test. With spares, a position whose spare is ready gets it (a
   * fresh instance on the position's other address, already running) and its used instance becomes the next spare,
   * reinstalled in the background while the test runs; the rest (the first call, a spare that failed) are reinstalled
   * in place, in parallel, and get a spare for the next call.
   */
  public synchronized void reinstall(int count) {
    int positions = Math.min(count, instances.size());
    if (!useSpares) {
      inParallel(List.copyOf(instances.subList(0, positions)), HarperDbInstance::reinstall);
      return;
    }
    List<Integer> inPlace = new ArrayList<>();
    for (int position = 0; position < positions; position++) {
      Spare spare = spares.remove(position);
      if (spare != null && isReady(spare)) {
        HarperDbInstance used = instances.set(position, spare.instance());
        prepareSpare(position, used);
      } else {
        inPlace.add(position);
        if (spare != null) {
          prepareSpare(position, spare.instance()); // try it again for the next call
        }
      }
    }
    inParallel(inPlace.stream().map(instances::get).collect(Collectors.toList()), HarperDbInstance::reinstall);
    for (int position : inPlace) {
      spares.computeIfAbsent(position, p -> startSpare(p,
          new HarperDbInstance(p, settings.address(p + SPARE_OFFSET), settings, http)));
    }
  }

  private void prepareSpare(int position, HarperDbInstance instance) {
    spares.put(position, startSpare(position, instance));
  }

  private Spare startSpare(int position, HarperDbInstance instance) {
    return new Spare(instance, background.submit(instance::reinstall));
  }

  /**
   * Waits for a spare's background reinstall; false (logged) if it failed. Interrupted: false, with the thread's
   * interrupt flag kept, so reinstall()'s own wait fails and close() still stops every instance.
   */
  private boolean isReady(Spare spare) {
    try {
      spare.ready().get(settings.installTimeout().plus(settings.startTimeout()).toSeconds(), TimeUnit.SECONDS);
      return spare.instance().isRunning();
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("spare {} is not ready: {}", spare.instance(), e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Drops every database but {@code system} on every running instance (after resetTopology). */
  public synchronized void dropDatabases() {
    for (HarperDbInstance i : instances) {
      if (!i.isRunning()) {
        continue;
      }
      JsonNode all = i.post("{\"operation\":\"describe_all\"}");
      for (String database : (Iterable<String>) all::fieldNames) {
        if (!database.equals("system")) {
          i.post(String.format("{\"operation\":\"drop_database\",\"database\":\"%s\"}", database));
        }
      }
    }
  }

  /** Stops every instance (JUnit calls this when the test run ends). */
  @Override
  public synchronized void close() {
    closed = true;
    spares.values().forEach(this::isReady); // a spare still starting is stopped once it has started
    List<HarperDbInstance> all = new ArrayList<>(instances);
    spares.values().forEach(spare -> all.add(spare.instance()));
    inParallel(all, HarperDbInstance::stop);
    background.shutdownNow();
    LOG.info("stopped {} HarperDB instance(s)", all.size());
  }

  // ---- reset helpers --------------------------------------------------------------------------

  private void removePeerRecords(HarperDbInstance instance) {
    for (String peer : peerRecords(instance)) {
      // field "hostname": 4.7.29 ignores the documented "name" and would detach the receiver itself
      HarperDbInstance.Answer answer =
          instance.call(String.format("{\"operation\":\"remove_node\",\"hostname\":\"%s\"}", peer));
      LOG.info("reset: remove_node {} on {}: {} {}", peer, instance.hostname(), answer.status(), answer.body());
      if (!answer.ok()) {
        instance.post(String.format(
            "{\"operation\":\"delete\",\"database\":\"system\",\"table\":\"hdb_nodes\",\"ids\":[\"%s\"]}", peer));
      }
    }
  }

  private static List<String> peerRecords(HarperDbInstance instance) {
    List<String> names = instance.nodeRecordNames();
    names.remove(instance.name());
    return names;
  }

  /** Empties replication.routes in the config file; returns instances that had routes loaded. */
  private static List<HarperDbInstance> clearRoutes(List<HarperDbInstance> all) {
    List<HarperDbInstance> loadedRoutes = new ArrayList<>();
    for (HarperDbInstance i : all) {
      JsonNode inFile = i.post("{\"operation\":\"get_configuration\"}").path("replication").path("routes");
      JsonNode loaded = i.post("{\"operation\":\"cluster_get_routes\"}");
      if (inFile.isEmpty() && loaded.isEmpty()) {
        continue;
      }
      // delete writes "loaded minus given" to the file: give it every route, loaded or in the file
      var routes = new ObjectMapper().createArrayNode();
      inFile.forEach(routes::add);
      loaded.forEach(routes::add);
      i.post("{\"operation\":\"cluster_delete_routes\",\"routes\":" + routes + "}");
      LOG.info("reset: deleted routes {} on {}", routes, i.hostname());
      if (!loaded.isEmpty()) {
        loadedRoutes.add(i); // the running instance forgets them only on restart
      }
    }
    return loadedRoutes;
  }

  private void restart(Set<HarperDbInstance> toRestart) {
    inParallel(List.copyOf(toRestart), i -> {
      i.stop();
      i.start();
    });
  }

  private static boolean awaitDetached(List<HarperDbInstance> all, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (all.stream().allMatch(i -> peerRecords(i).isEmpty() && i.connectionNames().isEmpty())) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      ProcessGroups.sleep(200);
    }
  }

  private static String describe(List<HarperDbInstance> all) {
    return all.stream()
        .map(i -> i.hostname() + ": records " + i.nodeRecordNames() + ", cluster_status " + i.connectionNames())
        .collect(Collectors.joining("; "));
  }

  // ---- setup helpers --------------------------------------------------------------------------

  /** Where the npm package harperdb is installed: {@code harperdb.install.dir}, default {@code <project>/.harperdb}. */
  public static Path installDir() {
    Path project = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    return Path.of(System.getProperty("harperdb.install.dir", project.resolve(".harperdb").toString())).toAbsolutePath();
  }

  /** The {@code node} on the PATH. */
  public static Path findNode() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path node = Path.of(dir.isEmpty() ? "." : dir, "node");
      if (Files.isExecutable(node)) {
        return node.toAbsolutePath();
      }
    }
    throw new IllegalStateException("The HarperDB tests need Node.js, but there is no `node` on the PATH ("
        + System.getenv("PATH") + "). Install Node.js 20 (with npm), then run `make test`, which also "
        + "installs harperdb " + HARPERDB_VERSION + " into .harperdb/.");
  }

  /** {@code bin/harperdb.js} of the npm package installed in {@code installDir}. */
  public static Path findHarperdb(Path installDir) {
    Path pkg = installDir.resolve("node_modules/harperdb");
    Path js = pkg.resolve("bin/harperdb.js");
    if (!Files.isRegularFile(js)) {
      throw new IllegalStateException("The HarperDB tests need the npm package harperdb " + HARPERDB_VERSION
          + ", but " + js + " is missing (system property harperdb.install.dir=" + installDir + "). "
          + "Run `make test` (it runs scripts/install-harperdb.sh), or: scripts/install-harperdb.sh "
          + installDir + " " + HARPERDB_VERSION);
    }
    try {
      String version = new ObjectMapper().readTree(pkg.resolve("package.json").toFile()).path("version").asText();
      if (!version.equals(HARPERDB_VERSION)) {
        LOG.warn("harperdb {} in {}: these tests were written against {}", version, installDir, HARPERDB_VERSION);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pkg.resolve("package.json"), e);
    }
    return js;
  }

  /**
   * If an earlier test JVM was SIGKILLed (its shutdown hook did not run), its instances still run.
   * Kill them, but only groups whose processes carry one of our ROOTPATHs in their environment:
   * other people's instances on this machine must survive.
   */
  private void killLeftoversOfEarlierRuns() {
    if (!Files.isDirectory(settings.workDir())) {
      return;
    }
    try (Stream<Path> dirs = Files.list(settings.workDir())) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        Path pgidFile = dir.resolve("pgid");
        if (!Files.isRegularFile(pgidFile)) {
          continue;
        }
        long pgid = Long.parseLong(Files.readString(pgidFile).trim());
        String marker = "ROOTPATH=" + dir.resolve("data");
        boolean ours = ProcessGroups.members(pgid).stream()
            .anyMatch(pid -> ProcessGroups.environ(pid).lines().anyMatch(marker::equals));
        if (ours) {
          LOG.warn("killing HarperDB process group {} left over from an earlier run ({})", pgid, dir);
          ProcessGroups.kill(pgid, Duration.ofSeconds(10));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look for leftovers in " + settings.workDir(), e);
    }
  }

  /**
   * HarperDB 4.7.29 validates its directory settings (rootPath, storage and log paths) with the
   * regular expression {@code /^[\\/]$|([\\/a-zA-Z_0-9:-]+)+$/}, whose nested quantifier
   * backtracks exponentially when a long run of those characters is followed by any other one: a
   * ROOTPATH of {@code /work/x/target/harperdb-instances/127.0.0.11/data} makes install (and run)
   * spin at 100% CPU for hours after the hostname prompt (a run of 27 characters before the '.'
   * took 11 s, 29 took 49 s). So instance directories have no dots, and the work dir must not
   * contain a long run of such characters followed by a dot, space, etc.
   */
  static void checkPathForHarperDb(Path path) {
    String text = path.toString() + "/127-0-0-11/data"; // as the instances' ROOTPATHs will look
    int run = 0;
    for (char c : text.toCharArray()) {
      boolean plain = c == '/' || c == '\\' || c == '_' || c == ':' || c == '-'
          || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (plain) {
        run++;
      } else if (run > 16) {
        throw new IllegalStateException("HarperDB " + HARPERDB_VERSION + " would hang validating the path " + text
            + ": its directory check (a regular expression) backtracks exponentially on the " + run
            + " characters before '" + c + "'. Choose a work dir made of letters, digits, / _ : - only, e.g. "
            + "-Dharperdb.test.workDir=/tmp/harperdb-test-instances");
      } else {
        run = 0;
      }
    }
  }

  private static String randomPassword() {
    String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    SecureRandom random = new SecureRandom();
    StringBuilder password = new StringBuilder("Hdb-");
    for (int i = 0; i < 24; i++) {
      password.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return password.toString();
  }

  /** Runs {@code action} on every instance at once; rethrows the first failure after all ended. */
  static void inParallel(List<HarperDbInstance> targets, Consumer<HarperDbInstance> action) {
    if (targets.isEmpty()) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(targets.size());
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (HarperDbInstance target : targets) {
        futures.add(pool.submit(() -> action.accept(target)));
      }
      RuntimeException failure = null;
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (ExecutionException e) {
          RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
          if (failure == null) {
            failure = cause;
          } else {
            failure.addSuppressed(cause);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      if (failure != null) {
        throw failure;
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Deletes a file or a directory tree (links are deleted, not followed); nothing when absent. */
  public static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> files = Files.walk(path)) {
      for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }
}
