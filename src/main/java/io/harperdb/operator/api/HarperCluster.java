package io.harperdb.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A HarperDB cluster: the instances the operator runs, and how all members replicate. */
@Group(HarperApi.GROUP)
@Version(HarperApi.VERSION)
@ShortNames({"hc", "hdbc"})
@Categories("harperdb")
// The StatefulSet, its Services and pods are named after a cluster with instances (see ResourceNames.nameProblem).
@ValidationRule(value = "!has(self.spec.instances) || (size(self.metadata.name) <= 52"
        + " && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$'))",
        message = "a HarperCluster with instances needs a name of at most 52 characters, lower-case letters, digits and '-', starting with a letter")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class HarperCluster extends CustomResource<HarperClusterSpec, HarperClusterStatus> implements Namespaced {

    // Overridden to make spec required in the CRD, so that the API server fills in its defaults
    // (an absent spec gets none); "spec: {}" is the smallest cluster.
    @Override
    @Required
    public HarperClusterSpec getSpec() {
        return super.getSpec();
    }
}
