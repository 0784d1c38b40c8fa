package io.harperdb.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A member of a HarperCluster: a pod of its StatefulSet, or an instance outside it (another
 * Kubernetes cluster, a VM, a HarperDB Cloud instance).
 */
@Group(HarperApi.GROUP)
@Version(HarperApi.VERSION)
@ShortNames({"hn", "hdbn"})
@Categories("harperdb")
@AdditionalPrinterColumn(name = "Cluster", jsonPath = ".spec.clusterRef", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class HarperNode extends CustomResource<HarperNodeSpec, HarperNodeStatus> implements Namespaced {

    // Overridden to make spec required in the CRD: its own rules (clusterRef, hostname or url)
    // would not run on a HarperNode without one.
    @Override
    @Required
    public HarperNodeSpec getSpec() {
        return super.getSpec();
    }
}
