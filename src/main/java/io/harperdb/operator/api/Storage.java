package io.harperdb.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.Objects;

/** The persistent volume of each managed instance (a StatefulSet volume claim). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"size", "storageClassName", "deleteClaimsOnScaleDown"})
public class Storage {

    public static final String DEFAULT_SIZE = "10Gi";

    // A string rather than a Quantity: the schema can then hold a pattern, which int-or-string cannot.
    @Default(DEFAULT_SIZE)
    @Pattern(ApiPatterns.QUANTITY)
    @Size(max = 64)
    // Kubernetes' quantity library in CEL (API servers 1.29 and later); a claim can grow, never shrink
    @ValidationRule(value = "!isQuantity(self) || !isQuantity(oldSelf) || quantity(self).compareTo(quantity(oldSelf)) >= 0",
            message = "storage.size cannot be made smaller: volume claims can grow, never shrink")
    @JsonPropertyDescription("Size of each instance's volume, a quantity such as 10Gi. A larger size resizes the data volume claims "
            + "where their StorageClass allows volume expansion (condition StorageResized says where it does not); a smaller one is refused")
    private String size = DEFAULT_SIZE;

    @Size(max = 253)
    @JsonPropertyDescription("StorageClass of the volumes; absent = the cluster's default class")
    private String storageClassName;

    @Default("false")
    @JsonPropertyDescription("Whether scaling down deletes the volume claims of the removed instances")
    private Boolean deleteClaimsOnScaleDown = false;

    public String getSize() {
        return size;
    }

    public void setSize(String size) {
        this.size = size;
    }

    public String getStorageClassName() {
        return storageClassName;
    }

    public void setStorageClassName(String storageClassName) {
        this.storageClassName = storageClassName;
    }

    public Boolean getDeleteClaimsOnScaleDown() {
        return deleteClaimsOnScaleDown;
    }

    public void setDeleteClaimsOnScaleDown(Boolean deleteClaimsOnScaleDown) {
        this.deleteClaimsOnScaleDown = deleteClaimsOnScaleDown;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Storage s && Objects.equals(size, s.size) && Objects.equals(storageClassName, s.storageClassName)
                && Objects.equals(deleteClaimsOnScaleDown, s.deleteClaimsOnScaleDown);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, storageClassName, deleteClaimsOnScaleDown);
    }
}
