package io.harperdb.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts processes in their own process group and kills whole groups.
 *
 * <p>HarperDB runs as a node process with worker threads and may start helpers; killing only the
 * pid Java knows could leave some behind. Each process is started through {@code setsid}, which
 * (as the child of the JVM is not a group leader) calls setsid(2) and execs in place: the pid Java
 * sees is the new session and process group id. Stopping kills {@code -pgid}. Linux only (/proc).
 *
 * <p>A JVM shutdown hook kills every group still registered, so nothing survives the test JVM
 * after a failure or Ctrl-C (the groups are in their own session, so the terminal's SIGINT does
 * not reach them; the hook does). Only a SIGKILL of the JVM bypasses the hook: {@link
 * HarperDbFixture} then kills the leftovers of that run, recognised by their ROOTPATH, at the next
 * start.
 */
public final class ProcessGroups {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessGroups.class);
  static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final Set<Long> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ProcessGroups::killAllNow, "harperdb-process-groups-cleanup"));
  }

  private ProcessGroups() {}

  /**
   * Starts {@code command} as leader of a new process group, with exactly {@code env} as its
   * environment, stdin from /dev/null and stdout+stderr appended to {@code log}. pid == pgid.
   */
  public static Process start(List<String> command, Map<String, String> env, Path log) throws IOException {
    List<String> withSetsid = new ArrayList<>();
    withSetsid.add(SETSID.toString());
    withSetsid.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(withSetsid)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    LIVE.add(p.pid());
    awaitOwnGroup(p);
    return p;
  }

  /** Kills the group: TERM, then KILL if anything is left after {@code grace}. */
  public static void kill(long pgid, Duration grace) {
    if (!members(pgid).isEmpty()) {
      signal("TERM", pgid);
      if (!awaitEmpty(pgid, grace)) {
        LOG.warn("process group {} still alive after {} s: KILL", pgid, grace.toSeconds());
        signal("KILL", pgid);
        if (!awaitEmpty(pgid, Duration.ofSeconds(5))) {
          throw new IllegalStateException("process group " + pgid + " survived KILL: " + members(pgid));
        }
      }
    }
    LIVE.remove(pgid);
  }

  /** Kills the group at once with SIGKILL, as a node failure or an OOM kill would: no shutdown hook runs. */
  public static void killNow(long pgid) {
    signal("KILL", pgid);
    if (!awaitEmpty(pgid, Duration.ofSeconds(5))) {
      throw new IllegalStateException("process group " + pgid + " survived KILL: " + members(pgid));
    }
    LIVE.remove(pgid);
  }

  /** The shutdown hook's work: no grace for courtesy beyond a short TERM. */
  static void killAllNow() {
    for (long pgid : List.copyOf(LIVE)) {
      try {
        kill(pgid, Duration.ofSeconds(3));
      } catch (RuntimeException e) {
        System.err.println("could not kill process group " + pgid + ": " + e);
      }
    }
  }

  /** Pids whose process group is {@code pgid} (field 5 of /proc/PID/stat). */
  static List<Long> members(long pgid) {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : (Iterable<Path>) procs::iterator) {
        String name = proc.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit) && pgrp(proc) == pgid) {
          pids.add(Long.parseLong(name));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc", e);
    }
    return pids;
  }

  /** Resident set size of the whole group in KiB (sum of VmRSS; threads share their process's). */
  public static long rssKiB(long pgid) {
    long total = 0;
    for (long pid : members(pgid)) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
          if (line.startsWith("VmRSS:")) {
            total += Long.parseLong(line.replaceAll("\\D", ""));
          }
        }
      } catch (IOException e) {
        // exited meanwhile
      }
    }
    return total;
  }

  /** The environment of a process ("" if it is gone or not ours to read). */
  static String environ(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "environ")).replace('\0', '\n');
    } catch (IOException e) {
      return "";
    }
  }

  private static long pgrp(Path proc) {
    try {
      String stat = Files.readString(proc.resolve("stat"));
      // comm (field 2) may hold spaces and parentheses: parse after the last ')'
      String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(rest[2]); // state, ppid, pgrp
    } catch (IOException | RuntimeException e) {
      return -1; // exited meanwhile
    }
  }

  /** setsid(2) runs right after fork; wait until it has, so that kill(-pid) hits the process. */
  private static void awaitOwnGroup(Process p) {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (pgrp(Path.of("/proc", Long.toString(p.pid()))) == p.pid() || !p.isAlive()) {
        return;
      }
      sleep(10);
    }
    throw new IllegalStateException("process " + p.pid() + " did not become a process group leader via setsid");
  }

  private static boolean awaitEmpty(long pgid, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (members(pgid).isEmpty()) {
        return true;
      }
      sleep(100);
    }
    return members(pgid).isEmpty();
  }

  private static void signal(String signal, long pgid) {
    try {
      // Java cannot signal a process group; kill(1) can. "--" so that -PGID is not an option.
      new ProcessBuilder("kill", "-s", signal, "--", "-" + pgid)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
