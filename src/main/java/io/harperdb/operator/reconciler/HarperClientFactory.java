package io.harperdb.operator.reconciler;

import io.harperdb.replication.client.HarperClient;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * Makes the HarperDB client of a member. One OkHttpClient (connection pool, threads) is shared by
 * all; a member with {@code verifyTls: false} gets one that accepts HarperDB's self-signed
 * certificate on its https Operations API.
 */
public class HarperClientFactory {
    private final OkHttpClient shared;
    private final OkHttpClient sharedInsecure;
    private final HarperClient.Timeouts timeouts;
    private final HarperClient.Timeouts probeTimeouts;

    public HarperClientFactory(HarperClient.Timeouts timeouts) {
        this(timeouts, new OkHttpClient());
    }

    /** @param base the OkHttpClient every member's client derives from (its interceptors apply to all) */
    public HarperClientFactory(HarperClient.Timeouts timeouts, OkHttpClient base) {
        this(timeouts, HarperClient.Timeouts.PROBE, base);
    }

    /** @param probeTimeouts those of the one call that probes a member that did not answer lately (each at most as long as timeouts') */
    public HarperClientFactory(HarperClient.Timeouts timeouts, HarperClient.Timeouts probeTimeouts, OkHttpClient base) {
        this.timeouts = timeouts;
        this.probeTimeouts = new HarperClient.Timeouts(min(probeTimeouts.connect(), timeouts.connect()),
                min(probeTimeouts.read(), timeouts.read()));
        this.shared = base;
        this.sharedInsecure = trustingAnyCertificate(shared);
    }

    private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    public HarperClient clientFor(ClusterMember member) {
        return clientFor(member, timeouts);
    }

    /** A client with the short probe timeouts, for a member that did not answer lately. */
    public HarperClient probeClientFor(ClusterMember member) {
        return clientFor(member, probeTimeouts);
    }

    private HarperClient clientFor(ClusterMember member, HarperClient.Timeouts timeouts) {
        if (!member.hasCredentials()) {
            throw new IllegalStateException("member " + member.name() + " has no credentials: " + member.credentialsProblem());
        }
        OkHttpClient base = member.verifyTls() ? shared : sharedInsecure;
        return new HarperClient(member.operationsUrl(), member.name(),
                member.credentials().username(), member.credentials().password(), base, timeouts);
    }

    private static OkHttpClient trustingAnyCertificate(OkHttpClient base) {
        X509TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{trustAll}, new SecureRandom());
            return base.newBuilder()
                    .sslSocketFactory(context.getSocketFactory(), trustAll)
                    .hostnameVerifier((host, session) -> true)
                    .build();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available", e);
        }
    }
}
