package io.harperdb.operator.testing.pods;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.harperdb.testing.HarperDbFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The containers of one pod on this machine: its volumes as directories (Secrets and ConfigMaps written
 * as files, emptyDirs, claims that outlive the pod), each container a {@link RunningContainer}.
 */
final class RunningPod {
    /** What the pod's volumes and environment read: Secrets and ConfigMaps of its namespace, as key -> value maps. */
    record Objects(Function<String, Optional<Map<String, String>>> secret, Function<String, Optional<Map<String, String>>> configMap) {
    }

    private final String name;
    private final String ip;
    private final List<RunningContainer> containers = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicBoolean ticking = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param dir     this pod's own directory (volumes, container layers, logs), emptied first
     * @param claims  where claims live ({@code <claim>} under it), kept across pods
     * @param images  the image of a container
     */
    RunningPod(Pod pod, String ip, Path dir, Path claims, Path hostsFile, Objects objects, Function<Container, ContainerImage> images) {
        this.name = pod.getMetadata().getName();
        this.ip = ip;
        try {
            HarperDbFixture.deleteRecursively(dir);
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Path> volumes = volumes(pod, dir.resolve("volumes"), claims, objects);
        long grace = pod.getSpec().getTerminationGracePeriodSeconds() == null ? 30 : pod.getSpec().getTerminationGracePeriodSeconds();
        ContainerEnvironment.Sources sources = new ContainerEnvironment.Sources(
                field -> switch (field) {
                    case "metadata.name" -> name;
                    case "metadata.namespace" -> pod.getMetadata().getNamespace();
                    case "status.podIP" -> ip;
                    default -> throw new IllegalStateException("fieldRef " + field + " is not supported by the test kubelet");
                },
                key(objects.secret()),
                key(objects.configMap()));
        for (Container container : pod.getSpec().getContainers()) {
            Map<String, Path> mounts = new LinkedHashMap<>();
            for (VolumeMount mount : container.getVolumeMounts() == null ? List.<VolumeMount>of() : container.getVolumeMounts()) {
                Path volume = volumes.get(mount.getName());
                if (volume == null) {
                    throw new IllegalStateException(name + "/" + container.getName() + " mounts volume " + mount.getName()
                            + ", which the pod does not have");
                }
                mounts.put(mount.getMountPath(), mount.getSubPath() == null ? volume : volume.resolve(mount.getSubPath()));
            }
            Map<String, String> env = ContainerEnvironment.resolve(container.getEnv(), sources);
            containers.add(new RunningContainer(name, container, images.apply(container), ip, mounts, env, hostsFile,
                    dir.resolve("logs").resolve(container.getName() + ".log"), Duration.ofSeconds(Math.min(grace, 15))));
        }
    }

    String name() {
        return name;
    }

    String ip() {
        return ip;
    }

    void start() {
        containers.forEach(RunningContainer::start);
    }

    /** One round of the containers' checks; skipped while the previous one still runs (a slow probe). */
    void tick() {
        if (ticking.compareAndSet(false, true)) {
            try {
                containers.forEach(RunningContainer::tick);
            } finally {
                ticking.set(false);
            }
        }
    }

    void stop() {
        containers.forEach(RunningContainer::stop);
    }

    boolean ready() {
        return containers.stream().allMatch(RunningContainer::ready);
    }

    List<RunningContainer> containers() {
        return List.copyOf(containers);
    }

    private static BiFunction<String, String, Optional<String>> key(Function<String, Optional<Map<String, String>>> objects) {
        return (object, key) -> objects.apply(object).map(data -> data.get(key));
    }

    private Map<String, Path> volumes(Pod pod, Path dir, Path claims, Objects objects) {
        Map<String, Path> volumes = new LinkedHashMap<>();
        for (Volume volume : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
            Path path = dir.resolve(volume.getName());
            try {
                if (volume.getSecret() != null) {
                    Map<String, String> data = objects.secret().apply(volume.getSecret().getSecretName())
                            .orElseThrow(() -> new IllegalStateException(name + ": Secret " + volume.getSecret().getSecretName()
                                    + " of volume " + volume.getName() + " not found (the kubelet would wait)"));
                    writeFiles(path, data, volume.getSecret().getItems(), volume.getSecret().getDefaultMode());
                } else if (volume.getConfigMap() != null) {
                    Map<String, String> data = objects.configMap().apply(volume.getConfigMap().getName())
                            .orElseThrow(() -> new IllegalStateException(name + ": ConfigMap " + volume.getConfigMap().getName() + " not found"));
                    writeFiles(path, data, volume.getConfigMap().getItems(), volume.getConfigMap().getDefaultMode());
                } else if (volume.getEmptyDir() != null) {
                    Files.createDirectories(path);
                } else if (volume.getPersistentVolumeClaim() != null) {
                    path = claims.resolve(volume.getPersistentVolumeClaim().getClaimName());
                    Files.createDirectories(path);
                } else {
                    throw new IllegalStateException(name + ": volume " + volume.getName() + " is of a kind the test kubelet does not mount");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            volumes.put(volume.getName(), path);
        }
        return volumes;
    }

    /** Secret and ConfigMap volumes: every key as a file, or only the listed items at their paths, with the given mode. */
    private static void writeFiles(Path dir, Map<String, String> data, List<KeyToPath> items, Integer mode) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> files = new LinkedHashMap<>();
        if (items == null || items.isEmpty()) {
            data.forEach(files::put);
        } else {
            for (KeyToPath item : items) {
                if (!data.containsKey(item.getKey())) {
                    throw new IllegalStateException("volume item " + item.getKey() + " is not a key of its object");
                }
                files.put(item.getPath(), data.get(item.getKey()));
            }
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = dir.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(path, permissions(mode == null ? 0644 : mode));
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                permissions.add(bits[i]);
            }
        }
        return permissions;
    }

    /** A Secret's data, decoded (stringData as the API server would have merged it). */
    static Map<String, String> decode(Map<String, String> data, Map<String, String> stringData) {
        Map<String, String> decoded = new LinkedHashMap<>();
        if (data != null) {
            data.forEach((k, v) -> decoded.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (stringData != null) {
            decoded.putAll(stringData);
        }
        return decoded;
    }
}
