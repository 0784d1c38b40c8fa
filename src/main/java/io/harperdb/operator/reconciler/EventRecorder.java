package io.harperdb.operator.reconciler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events about a resource, as {@code kubectl describe} shows them. A failure to
 * record an Event is logged and never fails the reconciliation. Messages must not hold secrets:
 * callers pass operation summaries, never request bodies.
 *
 * <p>Aggregated the way Kubernetes' own recorder does it: the same Event (same involved object, type,
 * reason and message) recorded again raises {@code count} and {@code lastTimestamp} of the Event already
 * stored instead of adding another object, so a failure repeated every round stays one line
 * ({@code x12 over 6m}) in {@code kubectl describe}. The Event's name is derived from those fields, so that
 * any recorder (each round makes its own, and a restarted or new leader operator has none) finds it by name;
 * no cache to lose. An Event the API server has expired (after an hour by default) starts again at 1.
 */
public class EventRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    static final String COMPONENT = "harperdb-operator";
    static final int MAX_MESSAGE = 1000;
    /** Object names are at most 253 characters: the involved object's name part is cut to leave room for ".<hash>". */
    private static final int MAX_NAME_PREFIX = 253 - 1 - 16;

    private final KubernetesClient client;
    private final Clock clock;

    public EventRecorder(KubernetesClient client) {
        this(client, Clock.systemUTC());
    }

    EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public void normal(HasMetadata about, String reason, String message) {
        record(about, "Normal", reason, message);
    }

    public void warning(HasMetadata about, String reason, String message) {
        record(about, "Warning", reason, message);
    }

    private void record(HasMetadata about, String type, String reason, String message) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        String namespace = about.getMetadata().getNamespace();
        String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
        String name = name(about, type, reason, text);
        try {
            var stored = client.v1().events().inNamespace(namespace).withName(name);
            Event existing = stored.get();
            if (existing != null) {
                stored.edit(e -> {
                    e.setCount((e.getCount() == null ? 1 : e.getCount()) + 1);
                    e.setLastTimestamp(now);
                    return e;
                });
                return;
            }
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(namespace)
                    .endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(about.getApiVersion())
                            .withKind(about.getKind())
                            .withName(about.getMetadata().getName())
                            .withNamespace(namespace)
                            .withUid(about.getMetadata().getUid())
                            .build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(text)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent(COMPONENT).endSource()
                    .build()).create();
        } catch (KubernetesClientException e) {
            // a 409 (the same Event created meanwhile) loses one count: an Event is a hint, not a ledger
            LOG.warn("could not record event {} on {}/{}: {}", reason, namespace, about.getMetadata().getName(), e.getMessage());
        }
    }

    /**
     * The Event's name: the involved object's name, then a hash of what makes two Events the same (the object's
     * kind and uid, type, reason, message). The uid keeps a recreated object's Events apart from its predecessor's.
     */
    static String name(HasMetadata about, String type, String reason, String message) {
        String key = String.join("\u0000", String.valueOf(about.getKind()), String.valueOf(about.getMetadata().getName()),
                String.valueOf(about.getMetadata().getUid()), type, reason, message);
        try {
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
            String objectName = about.getMetadata().getName();
            String prefix = objectName.length() > MAX_NAME_PREFIX ? objectName.substring(0, MAX_NAME_PREFIX) : objectName;
            // a name cut after a dot would end in "." and make an invalid name ("x..hash")
            while (prefix.endsWith(".") || prefix.endsWith("-")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            return prefix + "." + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }
}
