package io.harperdb.operator.testing.pods;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's image (which also runs the replication sidecar), laid out in a directory exactly as
 * the project's Dockerfile lays it out: every {@code COPY} of the Dockerfile is carried out from the
 * project's build output (so {@code make build} or {@code mvn package} must have run), and its
 * {@code ENV}, {@code ENTRYPOINT} and {@code CMD} are read from it. A container whose command names a
 * path the Dockerfile does not create fails here as it would in the image.
 */
final class OperatorImage implements ContainerImage {
    private static final Pattern INSTRUCTION = Pattern.compile("^(FROM|WORKDIR|COPY|ENV|ENTRYPOINT|CMD|USER|LABEL|EXPOSE|ARG|RUN)\\s+(.*)$",
            Pattern.CASE_INSENSITIVE);

    private final Path root;
    private final List<String> entrypoint;
    private final List<String> cmd;
    private final Map<String, String> env;

    private OperatorImage(Path root, List<String> entrypoint, List<String> cmd, Map<String, String> env) {
        this.root = root;
        this.entrypoint = entrypoint;
        this.cmd = cmd;
        this.env = env;
    }

    /** Builds the image's filesystem under {@code root} from {@code dockerfile}, with sources relative to {@code context}. */
    static OperatorImage build(Path dockerfile, Path context, Path root) {
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        Map<String, String> env = new LinkedHashMap<>();
        try {
            deleteRecursively(root);
            Files.createDirectories(root);
            for (String line : joinContinuations(Files.readAllLines(dockerfile))) {
                Matcher m = INSTRUCTION.matcher(line.trim());
                if (!m.matches()) {
                    continue;
                }
                String args = m.group(2).trim();
                switch (m.group(1).toUpperCase()) {
                    case "WORKDIR" -> Files.createDirectories(under(root, args));
                    case "COPY" -> copy(args, context, root);
                    case "ENV" -> env.putAll(envPairs(args));
                    case "ENTRYPOINT" -> entrypoint = jsonArray(args);
                    case "CMD" -> cmd = jsonArray(args);
                    case "RUN" -> throw new IllegalStateException("the test image cannot carry out RUN: " + args);
                    default -> {
                        // FROM (its Java is this machine's), USER, LABEL, EXPOSE, ARG: nothing to lay out
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the image from " + dockerfile, e);
        }
        return new OperatorImage(root, entrypoint, cmd, env);
    }

    @Override
    public List<String> entrypoint() {
        return entrypoint;
    }

    @Override
    public List<String> cmd() {
        return cmd;
    }

    @Override
    public Map<String, String> env() {
        return env;
    }

    @Override
    public Path hostPath(String containerPath) {
        Path host = under(root, containerPath);
        Path top = under(root, "/" + Path.of(containerPath).getName(0));
        return Files.exists(top) ? host : null;
    }

    /** The base image's Java is the one running these tests (both are Java 17). */
    @Override
    public List<String> program(String name) {
        if (name.equals("java")) {
            return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
        throw new IllegalStateException("the operator image has no program " + name);
    }

    @Override
    public Map<String, String> pinListeners(Map<String, String> env, String podIp) {
        Map<String, String> pinned = new LinkedHashMap<>(env);
        pinned.putIfAbsent("SIDECAR_ADDRESS", podIp);
        return pinned;
    }

    private static void copy(String args, Path context, Path root) throws IOException {
        String[] parts = args.split("\\s+");
        if (parts.length != 2 || parts[0].startsWith("--")) {
            throw new IllegalStateException("the test image copies one source to one destination: COPY " + args);
        }
        String source = parts[0];
        String destination = parts[1];
        Path target = under(root, destination);
        if (source.endsWith("/")) {
            Path dir = context.resolve(source);
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("COPY " + args + ": " + dir + " is missing; build the project first (mvn package)");
            }
            Files.createDirectories(target);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path file : files) {
                    Files.createSymbolicLink(target.resolve(file.getFileName().toString()), file.toAbsolutePath());
                }
            }
            return;
        }
        Path parent = context.resolve(source).getParent();
        String glob = Path.of(source).getFileName().toString();
        List<Path> matches = new ArrayList<>();
        if (Files.isDirectory(parent)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(parent, glob)) {
                files.forEach(matches::add);
            }
        }
        if (matches.size() != 1) {
            throw new IllegalStateException("COPY " + args + ": " + matches.size() + " files match " + source
                    + " (one expected); build the project first (mvn package)");
        }
        Files.createDirectories(target.getParent());
        // A copy, not a link: the jar's manifest Class-Path is resolved from where the jar is.
        Files.copy(matches.get(0), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path under(Path root, String containerPath) {
        return root.resolve(containerPath.replaceFirst("^/+", ""));
    }

    private static List<String> joinContinuations(List<String> lines) {
        List<String> joined = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            if (line.trim().startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
            } else {
                joined.add(current.append(line).toString());
                current.setLength(0);
            }
        }
        return joined;
    }

    private static final Pattern PAIR = Pattern.compile("(\\w+)=(\"([^\"]*)\"|(\\S+))");

    private static Map<String, String> envPairs(String args) {
        Map<String, String> pairs = new LinkedHashMap<>();
        Matcher m = PAIR.matcher(args);
        while (m.find()) {
            pairs.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(4));
        }
        return pairs;
    }

    private static List<String> jsonArray(String args) {
        if (!args.startsWith("[")) {
            throw new IllegalStateException("the test image takes the exec form only: " + args);
        }
        List<String> items = new ArrayList<>();
        Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(args);
        while (m.find()) {
            items.add(m.group(1));
        }
        return List.copyOf(items);
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
                for (Path child : children) {
                    deleteRecursively(child);
                }
            }
        }
        Files.delete(path);
    }
}
