package io.harperdb.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Credentials;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One real HarperDB instance: its own loopback address, HOME and ROOTPATH, and its own process
 * group. Created and started by {@link HarperDbFixture}; tests get it from {@link HarperDbCluster}.
 *
 * <p>Its node name (replication hostname, {@code cluster_status.node_name}, the key of its
 * {@code system.hdb_nodes} record) is its IP address.
 */
public final class HarperDbInstance {
  private static final Logger LOG = LoggerFactory.getLogger(HarperDbInstance.class);
  private static final MediaType JSON = MediaType.get("application/json");
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final int OPERATIONS_PORT = 9925;
  static final int REPLICATION_PORT = 9933;
  private static final int[] ALL_PORTS = {OPERATIONS_PORT, 9926, REPLICATION_PORT, 1883, 8883};

  /** An answer of the operations API: HTTP status and JSON body (a text node if not JSON). */
  public record Answer(int status, JsonNode body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  private final int index;
  private final String ip;
  private final Path dir;
  private final HarperDbFixture.Settings settings;
  private final OkHttpClient http;
  private volatile Process process; // null while stopped
  private boolean installed;

  HarperDbInstance(int index, String ip, HarperDbFixture.Settings settings, OkHttpClient http) {
    this.index = index;
    this.ip = ip;
    // no dots in the directory name: see HarperDbFixture.checkPathForHarperDb
    this.dir = settings.workDir().resolve(ip.replace('.', '-'));
    this.settings = settings;
    this.http = http;
  }

  // ---- what tests use -------------------------------------------------------------------------

  public int index() {
    return index;
  }

  /** The node name HarperDB uses for this instance; equal to {@link #hostname()}. */
  public String name() {
    return ip;
  }

  /** The replication hostname, also the address every port of this instance is bound to. */
  public String hostname() {
    return ip;
  }

  public String operationsUrl() {
    return "http://" + ip + ":" + OPERATIONS_PORT;
  }

  public String replicationUrl() {
    return "wss://" + ip + ":" + REPLICATION_PORT;
  }

  public String username() {
    return settings.username();
  }

  public String password() {
    return settings.password();
  }

  /** ROOTPATH: config file, database, logs and keys of this instance. */
  public Path rootPath() {
    return dir.resolve("data");
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** Whether {@code GET /health} answers 200 (no credentials needed). */
  public boolean isHealthy() {
    Request request = new Request.Builder().url(operationsUrl() + "/health").build();
    try (Response response = http.newCall(request).execute()) {
      return response.code() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  /** Pid of the running process, which is also its process group id; -1 when stopped. */
  public long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  /** Resident memory of the instance's whole process group, in KiB (0 when stopped). */
  public long rssKiB() {
    long pid = pid();
    return pid < 0 ? 0 : ProcessGroups.rssKiB(pid);
  }

  /**
   * Sends one operation (JSON text) with Basic auth and returns the answer's body.
   *
   * @throws OperationFailedException if HarperDB answers with a status other than 2xx
   */
  public JsonNode post(String operationJson) {
    Answer answer = call(operationJson);
    if (!answer.ok()) {
      throw new OperationFailedException(this, operationJson, answer);
    }
    return answer.body();
  }

  /** Like {@link #post(String)}; {@code operation} is serialized by Jackson (e.g. a Map). */
  public JsonNode post(Object operation) {
    return post(toJson(operation));
  }

  /** Sends one operation and returns status and body whatever the status is. */
  public Answer call(String operationJson) {
    return callAs(username(), password(), operationJson);
  }

  /** Like {@link #call(String)}, with other credentials. */
  public Answer callAs(String username, String password, String operationJson) {
    return send(http, username, password, operationJson);
  }

  private Answer send(OkHttpClient http, String username, String password, String operationJson) {
    Request request = new Request.Builder()
        .url(operationsUrl() + "/")
        .header("Authorization", Credentials.basic(username, password))
        .post(RequestBody.create(operationJson, JSON))
        .build();
    try (Response response = http.newCall(request).execute()) {
      String text = response.body() == null ? "" : response.body().string();
      JsonNode body;
      try {
        body = text.isBlank() ? TextNode.valueOf("") : MAPPER.readTree(text);
      } catch (IOException notJson) {
        body = TextNode.valueOf(text);
      }
      return new Answer(response.code(), body);
    } catch (IOException e) {
      throw new UncheckedIOException(this + ": " + operationJson + " failed: " + e.getMessage(), e);
    }
  }

  public Answer call(Object operation) {
    return call(toJson(operation));
  }

  /**
   * Runs {@code harperdb <arguments>} in this instance's environment (its HOME and ROOTPATH), as {@code
   * kubectl exec <pod> -c harperdb -- harperdb ...} does in a pod; for an operation ({@code alter_user
   * username=admin password=...}) the CLI talks to the running instance over its local Unix socket. Returns
   * the exit code and the output.
   */
  public Answer cli(String... arguments) {
    List<String> command = new ArrayList<>(settings.harperdbCommand(arguments[0]));
    command.addAll(List.of(arguments).subList(1, arguments.length));
    Path log = dir.resolve("cli.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(baseEnv());
    try {
      Process p = builder.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(this + ": harperdb " + arguments[0] + " did not exit within 60 s");
      }
      return new Answer(p.exitValue(), TextNode.valueOf(Files.readString(log)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** {@code cluster_status}, the runtime view of the replication links: unanswered after 5 s, it is sent once more (see {@link #clusterStatus(Duration)}). */
  public JsonNode clusterStatus() {
    try {
      return clusterStatus(Duration.ofSeconds(5));
    } catch (UncheckedIOException unanswered) {
      return post("{\"operation\":\"cluster_status\"}");
    }
  }

  /**
   * {@code cluster_status}, given up after {@code timeout}: 4.7.29 never answers the earlier of two overlapping
   * cluster_status calls (compatibility row 30), so a test that polls an instance the operator polls too must not
   * spend its whole wait on one call.
   */
  public JsonNode clusterStatus(Duration timeout) {
    String operation = "{\"operation\":\"cluster_status\"}";
    Answer answer = send(http.newBuilder().readTimeout(timeout).callTimeout(timeout).build(), username(), password(), operation);
    if (!answer.ok()) {
      throw new OperationFailedException(this, operation, answer);
    }
    return answer.body();
  }

  /** Names of the peers {@code cluster_status} lists (connected or not). */
  public List<String> connectionNames() {
    List<String> names = new ArrayList<>();
    clusterStatus().path("connections").forEach(c -> names.add(c.path("name").asText()));
    return names;
  }

  /** Names of the records in {@code system.hdb_nodes}: the persisted membership (may include itself). */
  public List<String> nodeRecordNames() {
    JsonNode records = post("""
        {"operation":"search_by_value","database":"system","table":"hdb_nodes",
         "search_attribute":"name","search_value":"*","get_attributes":["name"]}""");
    List<String> names = new ArrayList<>();
    records.forEach(r -> names.add(r.path("name").asText()));
    return names;
  }

  /** The last lines of this instance's logs (console output of run, then HarperDB's hdb.log). */
  public String logTail(int lines) {
    return "---- " + dir.resolve("run.log") + "\n" + tail(dir.resolve("run.log"), lines)
        + "---- " + rootPath().resolve("log/hdb.log") + "\n" + tail(rootPath().resolve("log/hdb.log"), lines);
  }

  @Override
  public String toString() {
    return "HarperDB#" + index + " " + ip;
  }

  // ---- lifecycle (package-private: tests go through HarperDbCluster) ---------------------------

  /** Installs (first time only) and runs the instance, then waits until /health answers. */
  synchronized void start() {
    if (isRunning()) {
      return;
    }
    stop(); // if it died on its own: kill what may be left of its group
    assertPortsFree();
    if (!installed) {
      install();
    }
    // Same HOME and ROOTPATH as the install, so a restart keeps data and config (no reinstall).
    Map<String, String> env = baseEnv();
    try {
      process = ProcessGroups.start(settings.harperdbCommand("run"), env, dir.resolve("run.log"));
      Files.writeString(dir.resolve("pgid"), Long.toString(process.pid()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + this, e);
    }
    awaitHealthy();
  }

  /**
   * Stops the instance, wipes its HOME and ROOTPATH and installs it again: a HarperDB with no past. The
   * first install of the run is kept as it was when the installer finished (before any run), and later
   * reinstalls restore that copy: the same files an install writes, without its 4 to 30 s of key
   * generation each time.
   */
  synchronized void reinstall() {
    long t0 = System.nanoTime();
    // a graceful stop (about 0.4 s), not SIGKILL: after instances were killed at once and restored, a partial
    // link's data did not arrive within a minute (HarperClientRealInstancesTest, reproduced twice; not explained)
    stop();
    if (Files.isDirectory(pristine())) {
      HarperDbFixture.deleteRecursively(dir.resolve("home"));
      HarperDbFixture.deleteRecursively(rootPath());
      copyTree(pristine().resolve("home"), dir.resolve("home"));
      copyTree(pristine().resolve("data"), rootPath());
      installed = true;
    } else {
      installed = false;
    }
    LOG.info("{} stopped and restored in {} ms", this, (System.nanoTime() - t0) / 1_000_000);
    start();
  }

  private Path pristine() {
    return dir.resolve("pristine");
  }

  /** {@code cp -a}: modes, times and sparse LMDB files as they are. */
  private static void copyTree(Path from, Path to) {
    try {
      Process cp = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).redirectErrorStream(true).start();
      String output = new String(cp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (cp.waitFor() != 0) {
        throw new IllegalStateException("cp -a " + from + " " + to + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Kills the instance's process group: TERM, then KILL after a grace period. Keeps its data. */
  synchronized void stop() {
    Process p = process;
    if (p != null) {
      long t0 = System.nanoTime();
      ProcessGroups.kill(p.pid(), Duration.ofSeconds(15));
      process = null;
      LOG.info("{} stopped in {} ms", this, (System.nanoTime() - t0) / 1_000_000);
    }
  }


  /**
   * {@code harperdb install}, non-interactive (the values the installer would ask for come from
   * environment variables). Every port is bound to this instance's address: HarperDB listens with
   * SO_REUSEPORT, so two instances on one wildcard port would silently share traffic. (One socket
   * stays on the wildcard address: the operations API's internal Fastify server listens on an
   * ephemeral port of "::" that is not configurable; being ephemeral, it cannot collide.)
   */
  private void install() {
    Map<String, String> env = baseEnv();
    env.put("TC_AGREEMENT", "yes");
    env.put("HDB_ADMIN_USERNAME", username());
    env.put("HDB_ADMIN_PASSWORD", password());
    env.put("DEFAULTS_MODE", "prod");
    env.put("THREADS_COUNT", "1"); // one worker thread: enough for tests, less memory
    env.put("LOCALSTUDIO_ENABLED", "false");
    env.put("OPERATIONSAPI_NETWORK_PORT", ip + ":" + OPERATIONS_PORT);
    env.put("OPERATIONSAPI_NETWORK_SECUREPORT", "null");
    env.put("HTTP_PORT", ip + ":9926");
    env.put("HTTP_SECUREPORT", "null");
    env.put("MQTT_NETWORK_PORT", ip + ":1883");
    env.put("MQTT_NETWORK_SECUREPORT", ip + ":8883");
    env.put("REPLICATION_HOSTNAME", ip);
    env.put("REPLICATION_SECUREPORT", ip + ":" + REPLICATION_PORT);
    Path log = dir.resolve("install.log");
    try {
      // a failed earlier attempt may have left a half install; HarperDB refuses a second one
      HarperDbFixture.deleteRecursively(dir.resolve("home"));
      HarperDbFixture.deleteRecursively(rootPath());
      Files.createDirectories(dir.resolve("home"));
      long t0 = System.nanoTime();
      Process p = ProcessGroups.start(settings.harperdbCommand("install"), env, log);
      boolean exited = p.waitFor(settings.installTimeout().toSeconds(), TimeUnit.SECONDS);
      ProcessGroups.kill(p.pid(), Duration.ofSeconds(5)); // nothing of the installer may linger
      if (!exited || p.exitValue() != 0 || !Files.exists(rootPath().resolve("harperdb-config.yaml"))) {
        throw new IllegalStateException(this + ": harperdb install failed ("
            + (exited ? "exit code " + p.exitValue() : "no exit within " + settings.installTimeout().toSeconds()
            + " s (raise -Dharperdb.test.installTimeoutSeconds on a busy machine)") + "); " + log + ":\n" + tail(log, 30));
      }
      LOG.info("{} installed in {} ms", this, (System.nanoTime() - t0) / 1_000_000);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install " + this, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    installed = true;
    HarperDbFixture.deleteRecursively(pristine());
    try {
      Files.createDirectories(pristine());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    copyTree(dir.resolve("home"), pristine().resolve("home"));
    copyTree(rootPath(), pristine().resolve("data"));
  }

  /**
   * A clean environment (not the JVM's): stray HarperDB settings such as HTTP_PORT or NODE_OPTIONS
   * in the developer's shell must not reach the instance; HarperDB reads config from env vars.
   */
  private Map<String, String> baseEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    env.put("HOME", dir.resolve("home").toString()); // HarperDB keeps its boot pointer in ~/.harperdb
    env.put("ROOTPATH", rootPath().toString());
    return env;
  }

  private void awaitHealthy() {
    long started = System.nanoTime();
    long deadline = started + settings.startTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      if (isHealthy()) {
        LOG.info("{} healthy after {} ms (pid {})", this, (System.nanoTime() - started) / 1_000_000, pid());
        return;
      }
      if (!process.isAlive()) {
        int code = process.exitValue();
        stop();
        throw new IllegalStateException(this + ": harperdb run exited with code " + code
            + " before GET /health answered; logs:\n" + logTail(40));
      }
      ProcessGroups.sleep(100);
    }
    String logs = logTail(40);
    stop();
    throw new IllegalStateException(this + ": GET " + operationsUrl() + "/health did not answer within "
        + settings.startTimeout().toSeconds() + " s (-Dharperdb.test.startTimeoutSeconds); logs:\n" + logs);
  }

  /** Fails early if something else (another run, someone else's instance) holds our address. */
  private void assertPortsFree() {
    for (int port : ALL_PORTS) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(ip, port), 300);
        throw new IllegalStateException(ip + ":" + port + " is already in use, cannot start " + this
            + ". A HarperDB left over from an earlier run? Look with: pgrep -af 'harperdb'; "
            + "or choose other addresses with -Dharperdb.test.firstAddress=...");
      } catch (IOException free) {
        // connection refused: nobody listens, as it should be
      }
    }
  }

  private static String toJson(Object operation) {
    try {
      return MAPPER.writeValueAsString(operation);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot serialize " + operation, e);
    }
  }

  /** Last lines of a file, without the ANSI colours of HarperDB's console banner. */
  static String tail(Path file, int lines) {
    if (!Files.exists(file)) {
      return "(no " + file.getFileName() + ")\n";
    }
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      StringBuilder out = new StringBuilder();
      for (String line : all.subList(Math.max(0, all.size() - lines), all.size())) {
        out.append(line.replaceAll("\u001B\\[[0-9;]*m", "")).append('\n');
      }
      return out.toString();
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")\n";
    }
  }

  /** A non-2xx answer of HarperDB's operations API. */
  public static final class OperationFailedException extends RuntimeException {
    private final transient Answer answer;

    OperationFailedException(HarperDbInstance instance, String operation, Answer answer) {
      super(instance + " answered " + answer.status() + " " + answer.body() + " to " + operation);
      this.answer = answer;
    }

    public Answer answer() {
      return answer;
    }
  }
}
