package io.harperdb.operator.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The operator image's file layout as the project's Dockerfile describes it, read without Docker: its
 * WORKDIR, COPY lines (container path &lt;- project path), ENV, ENTRYPOINT and CMD; and that layout made on
 * disk under a root directory, so that a test can run a container's command (the sidecar's, say) as the
 * image would. Only the single-stage Dockerfile instructions the project uses are understood; COPY --from
 * (another stage) is refused.
 */
public final class ImageLayoutDir {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One COPY: {@code source} is a project path (a glob, or a directory when it ends in "/"), {@code destination} a container path. */
    public record Copy(String source, String destination) {
        /** The source is a directory whose content goes into the destination directory. */
        public boolean copiesDirectory() {
            return source.endsWith("/");
        }

        /** The destination is a directory (Docker: it ends in "/"), the sources go into it. */
        public boolean intoDirectory() {
            return destination.endsWith("/");
        }

        @Override
        public String toString() {
            return destination + " <- " + source;
        }
    }

    /** What the Dockerfile says, in the order it says it. */
    public record Dockerfile(String workdir, List<Copy> copies, Map<String, String> env, List<String> entrypoint, List<String> cmd,
                             String user) {
        /** ENTRYPOINT followed by CMD: what the image runs when the container sets neither command nor args. */
        public List<String> defaultCommand() {
            List<String> command = new ArrayList<>(entrypoint);
            command.addAll(cmd);
            return command;
        }
    }

    private ImageLayoutDir() {
    }

    /** The project's Dockerfile (the working directory of the tests is the project's). */
    public static Dockerfile parse() {
        return parse(Path.of("Dockerfile"));
    }

    /** The (container path &lt;- project path) pairs of the project's Dockerfile, such as {@code /app/lib/ <- target/lib/}. */
    public static List<Copy> copies() {
        return parse().copies();
    }

    public static Dockerfile parse(Path file) {
        List<String> instructions;
        try {
            instructions = instructions(Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String workdir = "/";
        List<Copy> copies = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        String user = null;
        for (String line : instructions) {
            String[] parts = line.split("\\s+", 2);
            String keyword = parts[0].toUpperCase();
            String rest = parts.length > 1 ? parts[1].trim() : "";
            switch (keyword) {
                case "WORKDIR" -> workdir = resolve(workdir, rest);
                case "COPY", "ADD" -> copies.add(copy(workdir, keyword, rest));
                case "ENV" -> env.putAll(env(rest));
                case "ENTRYPOINT" -> {
                    entrypoint = words(keyword, rest);
                    cmd = List.of();    // as Docker does: a new ENTRYPOINT resets an inherited CMD
                }
                case "CMD" -> cmd = words(keyword, rest);
                case "USER" -> user = rest;
                case "FROM" -> {
                    if (!copies.isEmpty()) {
                        throw new IllegalArgumentException(file + ": more than one stage is not understood");
                    }
                }
                default -> {
                    // LABEL, EXPOSE, ARG...: nothing about the layout.
                }
            }
        }
        return new Dockerfile(workdir, List.copyOf(copies), Map.copyOf(env), entrypoint, cmd, user);
    }

    /**
     * Makes the image's COPY layout under {@code root}: each source of {@code projectDir} (a glob that
     * must match exactly one file unless the destination is a directory) at root + its container path.
     *
     * @return root
     */
    public static Path materialize(Path projectDir, Path root) {
        for (Copy copy : parse(projectDir.resolve("Dockerfile")).copies()) {
            try {
                materialize(projectDir, root, copy);
            } catch (IOException e) {
                throw new UncheckedIOException("COPY " + copy + ": " + e.getMessage(), e);
            }
        }
        return root;
    }

    /** Where a container path lies under a materialized root. */
    public static Path hostPath(Path root, String containerPath) {
        return root.resolve(containerPath.replaceFirst("^/+", ""));
    }

    /**
     * A container command as it runs on this machine from a materialized root: "java" is this JVM's
     * launcher, and every absolute path in a -cp/-classpath value is under root.
     */
    public static List<String> hostCommand(Path root, List<String> command) {
        List<String> result = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            String word = command.get(i);
            if (i == 0 && word.equals("java")) {
                result.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            } else if (i > 0 && isClassPathOption(command.get(i - 1))) {
                result.add(String.join(java.io.File.pathSeparator, Arrays.stream(word.split(":"))
                        .map(entry -> entry.startsWith("/") ? hostPath(root, entry).toString() : entry).toList()));
            } else {
                result.add(word);
            }
        }
        return result;
    }

    /** The -cp entries of a java command, as written (container paths). */
    public static List<String> classPath(List<String> command) {
        for (int i = 0; i < command.size() - 1; i++) {
            if (isClassPathOption(command.get(i))) {
                return List.of(command.get(i + 1).split(":"));
            }
        }
        return List.of();
    }

    private static boolean isClassPathOption(String word) {
        return word.equals("-cp") || word.equals("-classpath") || word.equals("--class-path");
    }

    private static void materialize(Path projectDir, Path root, Copy copy) throws IOException {
        Path destination = hostPath(root, copy.destination());
        if (copy.copiesDirectory()) {
            Path source = projectDir.resolve(copy.source());
            if (!Files.isDirectory(source)) {
                throw new IOException(source + " is not a directory (build the project first: mvn package)");
            }
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    Path target = destination.resolve(source.relativize(file).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return;
        }
        List<Path> sources = glob(projectDir, copy.source());
        if (sources.isEmpty()) {
            throw new IOException("nothing matches " + copy.source() + " in " + projectDir + " (build the project first: mvn package)");
        }
        if (!copy.intoDirectory() && sources.size() > 1) {
            throw new IOException(copy.source() + " matches " + sources.size() + " files for the one file " + copy.destination());
        }
        for (Path source : sources) {
            Path target = copy.intoDirectory() ? destination.resolve(source.getFileName().toString()) : destination;
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static List<Path> glob(Path projectDir, String pattern) throws IOException {
        Path parent = projectDir.resolve(pattern).getParent();
        String name = Path.of(pattern).getFileName().toString();
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + name);
        try (Stream<Path> files = Files.list(parent)) {
            return files.filter(f -> Files.isRegularFile(f) && matcher.matches(f.getFileName())).sorted().toList();
        }
    }

    /** One string per instruction: continuation lines joined, comments and blank lines dropped. */
    static List<String> instructions(List<String> lines) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed).append(' ');
            if (!continues) {
                instructions.add(current.toString().trim());
                current.setLength(0);
            }
        }
        if (!current.isEmpty()) {
            instructions.add(current.toString().trim());
        }
        return instructions;
    }

    private static Copy copy(String workdir, String keyword, String rest) {
        List<String> words = new ArrayList<>(words(keyword, rest));
        while (!words.isEmpty() && words.get(0).startsWith("--")) {
            if (words.get(0).startsWith("--from")) {
                throw new IllegalArgumentException(keyword + " " + rest + ": copies from another stage or image");
            }
            words.remove(0);    // --chown, --chmod, --link: not about where files go
        }
        if (words.size() != 2) {
            throw new IllegalArgumentException(keyword + " " + rest + ": only one source and one destination are understood");
        }
        String destination = words.get(1);
        String resolved = resolve(workdir, destination);
        return new Copy(words.get(0), destination.endsWith("/") && !resolved.endsWith("/") ? resolved + "/" : resolved);
    }

    /** The exec (JSON array) form, or the words of the shell form. */
    private static List<String> words(String keyword, String rest) {
        if (rest.startsWith("[")) {
            try {
                return JSON.readValue(rest, new TypeReference<List<String>>() { });
            } catch (IOException e) {
                throw new IllegalArgumentException(keyword + " " + rest + ": not a JSON array", e);
            }
        }
        return List.of(rest.split("\\s+"));
    }

    private static String resolve(String workdir, String path) {
        String resolved = path.startsWith("/") ? path : (workdir.endsWith("/") ? workdir : workdir + "/") + path;
        return resolved.length() > 1 && resolved.endsWith("/") ? resolved.substring(0, resolved.length() - 1) + "/" : resolved;
    }

    /** ENV key=value pairs (values may be double-quoted), or the old form ENV key value. */
    private static Map<String, String> env(String rest) {
        Map<String, String> env = new LinkedHashMap<>();
        if (!rest.contains("=") || rest.indexOf(' ') >= 0 && rest.indexOf(' ') < rest.indexOf('=')) {
            String[] kv = rest.split("\\s+", 2);
            env.put(kv[0], kv.length > 1 ? kv[1] : "");
            return env;
        }
        int i = 0;
        while (i < rest.length()) {
            while (i < rest.length() && Character.isWhitespace(rest.charAt(i))) {
                i++;
            }
            int eq = rest.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = rest.substring(i, eq);
            StringBuilder value = new StringBuilder();
            i = eq + 1;
            boolean quoted = i < rest.length() && rest.charAt(i) == '"';
            if (quoted) {
                i++;
                while (i < rest.length() && rest.charAt(i) != '"') {
                    if (rest.charAt(i) == '\\' && i + 1 < rest.length()) {
                        i++;
                    }
                    value.append(rest.charAt(i++));
                }
                i++;
            } else {
                while (i < rest.length() && !Character.isWhitespace(rest.charAt(i))) {
                    value.append(rest.charAt(i++));
                }
            }
            env.put(key, value.toString());
        }
        return env;
    }
}
