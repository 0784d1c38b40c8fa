package io.harperdb.operator.reconciler;

import io.harperdb.replication.client.HarperClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * Makes the HarperDB client of a member. One OkHttpClient (connection pool, threads) is shared by
 * all; a member whose certificate is not verified ({@code verifyTls: false}) gets one that accepts any
 * certificate and hostname on its https Operations API, and a HarperNode with a CA bundle one that trusts
 * that bundle only (and checks the hostname, as every verifying client does).
 */
public class HarperClientFactory {
    /** Distinct CA bundles kept; past it the cache starts again (bundles change rarely, and a rebuild is cheap). */
    static final int BUNDLES_CACHED = 64;
    private final OkHttpClient shared;
    private final OkHttpClient sharedInsecure;
    /** By CA bundle (its certificates, compared by encoding), the client that trusts only it. */
    private final Map<List<X509Certificate>, OkHttpClient> byBundle = new ConcurrentHashMap<>();
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
        if (!member.contactable()) {
            throw new IllegalStateException("member " + member.name() + " cannot be called: " + member.contactProblem());
        }
        OkHttpClient base = switch (member.trust().mode()) {
            case SYSTEM_CAS -> shared;
            case ANY_CERTIFICATE -> sharedInsecure;
            case CA_BUNDLE -> trusting(member.trust().caCertificates());
        };
        return new HarperClient(member.operationsUrl(), member.name(),
                member.credentials().username(), member.credentials().password(), base, timeouts);
    }

    private OkHttpClient trusting(List<X509Certificate> bundle) {
        if (byBundle.size() >= BUNDLES_CACHED) {
            byBundle.clear();
        }
        return byBundle.computeIfAbsent(bundle, b -> trustingOnly(shared, b));
    }

    /** A client that trusts only these CA certificates; OkHttp's default hostname verifier stays. */
    static OkHttpClient trustingOnly(OkHttpClient base, List<X509Certificate> bundle) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < bundle.size(); i++) {
                store.setCertificateEntry("ca-" + i, bundle.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            X509TrustManager trustManager = (X509TrustManager) factory.getTrustManagers()[0];
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{trustManager}, new SecureRandom());
            return base.newBuilder().sslSocketFactory(context.getSocketFactory(), trustManager).build();
        } catch (GeneralSecurityException | java.io.IOException e) {
            // no certificate content in the message
            throw new IllegalStateException("a trust store of " + bundle.size() + " CA certificates cannot be made: "
                    + e.getClass().getSimpleName(), e);
        }
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
