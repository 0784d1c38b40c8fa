package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.harperdb.operator.api.HarperCluster;
import io.harperdb.operator.api.Storage;
import io.harperdb.operator.resources.HarperContainer;
import io.harperdb.operator.resources.ResourceNames;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A larger {@code storage.size} on a running cluster. The StatefulSet's volumeClaimTemplates are immutable, so the
 * operator resizes the data claims themselves ({@code data-<statefulSet>-<ordinal>}), as Kubernetes allows when
 * their StorageClass has {@code allowVolumeExpansion}; the schema refuses a smaller size (claims cannot shrink).
 * Where a claim cannot grow, and while claims grow, the condition {@value #CONDITION} says so. Pure: the reconciler
 * reads the claims and StorageClasses and sends the patches ({@link ManagedResources#expandVolumes}).
 */
final class VolumeExpansion {
    /** False while a data claim is smaller than {@code storage.size}; absent when every claim has the size. */
    static final String CONDITION = "StorageResized";
    /** A claim cannot grow: its StorageClass does not allow volume expansion, it has none, or the API server refused. */
    static final String UNSUPPORTED = "StorageResizeUnsupported";
    /** Claims asked for the new size, not all of it provisioned yet. */
    static final String RESIZING = "Resizing";
    static final String STORAGE = "storage";

    /** Whether a claim's StorageClass allows expansion, as far as the operator can tell. */
    enum Expandable { YES, NO, UNKNOWN }

    /**
     * One data claim.
     *
     * @param requested              its spec.resources.requests.storage
     * @param capacity               its status.capacity.storage; null before it is bound
     * @param fileSystemResizePending its condition FileSystemResizePending is True (the volume grew, the file system
     *                               grows when the volume is next mounted)
     */
    record Claim(String name, String storageClass, Quantity requested, Quantity capacity, boolean fileSystemResizePending) {
        static Claim of(PersistentVolumeClaim claim) {
            Map<String, Quantity> requests = claim.getSpec() == null || claim.getSpec().getResources() == null
                    ? null : claim.getSpec().getResources().getRequests();
            Map<String, Quantity> capacity = claim.getStatus() == null ? null : claim.getStatus().getCapacity();
            boolean pending = claim.getStatus() != null && claim.getStatus().getConditions() != null && claim.getStatus().getConditions()
                    .stream().anyMatch(c -> "FileSystemResizePending".equals(c.getType()) && "True".equals(c.getStatus()));
            return new Claim(claim.getMetadata().getName(), claim.getSpec() == null ? null : claim.getSpec().getStorageClassName(),
                    requests == null ? null : requests.get(STORAGE), capacity == null ? null : capacity.get(STORAGE), pending);
        }
    }

    private VolumeExpansion() {
    }

    /** The size the spec asks for. */
    static Quantity desiredSize(HarperCluster cluster) {
        Storage storage = cluster.getSpec().getInstances().getStorage();
        return new Quantity(storage == null || storage.getSize() == null ? Storage.DEFAULT_SIZE : storage.getSize());
    }

    /** Whether a claim is one of the cluster's data claims: {@code data-<statefulSet>-<ordinal>}. */
    static boolean isDataClaim(HarperCluster cluster, String name) {
        String prefix = HarperContainer.DATA_VOLUME + "-" + ResourceNames.statefulSet(cluster) + "-";
        return name.startsWith(prefix) && name.length() > prefix.length() && name.substring(prefix.length()).chars().allMatch(Character::isDigit);
    }

    /** Claims that request less than {@code size}, by name. */
    static List<Claim> smaller(Quantity size, List<Claim> claims) {
        return claims.stream().filter(c -> c.requested() != null && bytes(c.requested()).compareTo(bytes(size)) < 0)
                .sorted(java.util.Comparator.comparing(Claim::name)).toList();
    }

    /** Claims whose capacity is below what they request (resizing), by name. */
    static List<Claim> growing(List<Claim> claims) {
        return claims.stream().filter(c -> c.requested() != null && c.capacity() != null
                && bytes(c.capacity()).compareTo(bytes(c.requested())) < 0).sorted(java.util.Comparator.comparing(Claim::name)).toList();
    }

    /**
     * The condition after this round's patches, empty when every claim requests and holds the size.
     *
     * @param stuck the claims left smaller than {@code size}, with why (class does not allow, refused)
     * @param claims the claims as they stand after this round's patches
     */
    static Optional<Condition> condition(Quantity size, Map<String, String> stuck, List<Claim> claims, long generation) {
        if (!stuck.isEmpty()) {
            List<String> parts = new ArrayList<>();
            new TreeMap<>(stuck).forEach((claim, why) -> parts.add(claim + ": " + why));
            return Optional.of(Conditions.of(CONDITION, false, UNSUPPORTED, "storage.size is " + size + ", but "
                    + stuck.size() + " data claim(s) cannot grow and keep their size: " + String.join("; ", parts)
                    + ". Resizing needs a StorageClass with allowVolumeExpansion: true", generation));
        }
        List<Claim> growing = growing(claims);
        if (!growing.isEmpty()) {
            boolean pending = growing.stream().anyMatch(Claim::fileSystemResizePending);
            return Optional.of(Conditions.of(CONDITION, false, RESIZING, String.join(", ", growing.stream().map(Claim::name).toList())
                    + " resizing to " + size + (pending ? "; the file system grows when its volume is next mounted (FileSystemResizePending):"
                    + " the annotation " + io.harperdb.operator.resources.DesiredStatefulSet.RESTARTED_AT_ANNOTATION
                    + " restarts the pods one at a time" : ""), generation));
        }
        return Optional.empty();
    }

    static BigDecimal bytes(Quantity quantity) {
        return Quantity.getAmountInBytes(quantity);
    }
}
