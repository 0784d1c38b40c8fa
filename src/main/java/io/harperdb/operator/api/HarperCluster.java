package io.harperdb.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
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
