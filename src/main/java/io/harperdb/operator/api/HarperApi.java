package io.harperdb.operator.api;

/** The API group and version of the operator's custom resources. */
public final class HarperApi {
    public static final String GROUP = "harperdb.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    private HarperApi() {
    }
}
