package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.resources.HarperContainer;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Guards an image change of the managed pods that would lower the HarperDB version the members run, or change its
 * major version: HarperDB migrates its data forward when a newer version starts, and an older one may not read
 * it. Such a change waits, the StatefulSet keeping the image it has, until the HarperCluster carries the annotation
 * {@value #ALLOW_ANNOTATION} with the target version (or the whole image); the condition {@value #CONDITION} says so.
 * Versions are compared by major.minor.patch: the target from the image's tag, the running ones from what the members
 * report (else from the StatefulSet's current image). An image whose tag names no version (a digest, "latest") is not
 * held: the operator cannot tell. Pure.
 */
final class VersionGate {
    public static final String ALLOW_ANNOTATION = "harperdb.io/allow-version-change";
    /** False while an image change waits for the annotation; absent otherwise. */
    static final String CONDITION = "VersionChange";
    static final String NEEDS_APPROVAL = "VersionChangeNeedsApproval";

    private static final Pattern VERSION = Pattern.compile("^v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    /** A HarperDB version, major.minor.patch. */
    record Version(int major, int minor, int patch) implements Comparable<Version> {
        private static final Comparator<Version> ORDER = Comparator.comparingInt(Version::major)
                .thenComparingInt(Version::minor).thenComparingInt(Version::patch);

        /** "4.7.29", "v4.7.29", "4.7.29-rolled", "4.7"; empty when the text starts with no version. */
        static Optional<Version> parse(String text) {
            Matcher m = text == null ? null : VERSION.matcher(text.trim());
            if (m == null || !m.find()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        @Override
        public int compareTo(Version other) {
            return ORDER.compare(this, other);
        }

        @Override
        public String toString() {
            return major + "." + minor + "." + patch;
        }
    }

    /**
     * What the StatefulSet gets this round.
     *
     * @param heldImage the image to keep instead of the spec's; null: the spec's
     * @param condition the {@value #CONDITION} condition; null when nothing waits
     */
    record Decision(String heldImage, Condition condition) {
        static final Decision GO = new Decision(null, null);
    }

    private VersionGate() {
    }

    /**
     * @param current          the StatefulSet as it stands; null when there is none yet (nothing runs: nothing to hold)
     * @param reportedVersions the versions the members reported (nulls ignored)
     */
    static Decision decide(HarperCluster cluster, StatefulSet current, Collection<String> reportedVersions, long generation) {
        String desiredImage = cluster.getSpec().getInstances().getImage();
        String currentImage = harperImage(current);
        if (currentImage == null || desiredImage == null || currentImage.equals(desiredImage)) {
            return Decision.GO;
        }
        Optional<Version> target = Version.parse(tag(desiredImage));
        if (target.isEmpty()) {
            return Decision.GO;
        }
        List<Version> running = reportedVersions.stream().filter(Objects::nonNull).map(Version::parse).flatMap(Optional::stream)
                .distinct().sorted().toList();
        if (running.isEmpty()) {
            running = Version.parse(tag(currentImage)).stream().toList();
        }
        Optional<Version> highest = running.stream().max(Comparator.naturalOrder());
        if (highest.isEmpty()) {
            return Decision.GO;
        }
        boolean lower = target.get().compareTo(highest.get()) < 0;
        boolean otherMajor = running.stream().anyMatch(v -> v.major() != target.get().major());
        if (!lower && !otherMajor) {
            return Decision.GO;
        }
        String allowed = annotation(cluster);
        if (allowed != null && (allowed.equals(desiredImage) || Version.parse(allowed).equals(target))) {
            return Decision.GO;
        }
        String what = lower ? "a downgrade" : "a change of major version";
        String runs = running.stream().map(Version::toString).collect(Collectors.joining(", "));
        return new Decision(currentImage, Conditions.of(CONDITION, false, NEEDS_APPROVAL,
                "spec.instances.image " + desiredImage + " is HarperDB " + target.get() + ", " + what + " from " + runs
                        + " that the members run: the pods keep " + currentImage + " until the HarperCluster has the annotation "
                        + ALLOW_ANNOTATION + "=" + target.get() + " (HarperDB migrates data forward when a newer version starts;"
                        + " an older one may not read it: take a backup first)", generation));
    }

    /** The version summary for status.version: "4.7.29", or "4.7.29 (2), 4.7.30 (1)" while members differ; null when none. */
    static String summary(Collection<String> reportedVersions) {
        Map<String, Long> counts = new TreeMap<>(reportedVersions.stream().filter(Objects::nonNull)
                .collect(Collectors.groupingBy(v -> v, Collectors.counting())));
        if (counts.isEmpty()) {
            return null;
        }
        if (counts.size() == 1) {
            return counts.keySet().iterator().next();
        }
        return counts.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "));
    }

    /** The image of the StatefulSet's HarperDB container; null when there is none. */
    static String harperImage(StatefulSet statefulSet) {
        if (statefulSet == null || statefulSet.getSpec() == null || statefulSet.getSpec().getTemplate() == null
                || statefulSet.getSpec().getTemplate().getSpec() == null || statefulSet.getSpec().getTemplate().getSpec().getContainers() == null) {
            return null;
        }
        return statefulSet.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> HarperContainer.NAME.equals(c.getName())).map(Container::getImage).findFirst().orElse(null);
    }

    /** The tag of an image reference ("harperdb/harperdb:4.7.29" -> "4.7.29"); null when it has none. */
    static String tag(String image) {
        String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = name.lastIndexOf(':');
        return colon > name.lastIndexOf('/') ? name.substring(colon + 1) : null;
    }

    private static String annotation(HarperCluster cluster) {
        Map<String, String> annotations = cluster.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(ALLOW_ANNOTATION);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
