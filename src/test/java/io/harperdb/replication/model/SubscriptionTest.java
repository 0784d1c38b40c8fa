package io.harperdb.replication.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SubscriptionTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void reversedSwapsSubscribeAndPublish() {
        Subscription receiveOnly = Subscription.of("data", "dog", true, false);

        assertThat(receiveOnly.reversed()).isEqualTo(Subscription.of("data", "dog", false, true));
        assertThat(receiveOnly.reversed().reversed()).isEqualTo(receiveOnly);
        assertThat(Subscription.of("data", "dog", true, true).reversed()).isEqualTo(Subscription.of("data", "dog", true, true));
    }

    @Test
    void reversedKeepsMissingFieldsMissing() {
        assertThat(new Subscription("data", "dog", null, true).reversed()).isEqualTo(new Subscription("data", "dog", true, null));
    }

    @Test
    void equalWhenEveryFieldIsEqualMissingOnesIncluded() {
        Subscription dog = Subscription.of("data", "dog", true, false);

        assertThat(dog).isEqualTo(new Subscription("data", "dog", true, false)).hasSameHashCodeAs(new Subscription("data", "dog", true, false));
        assertThat(dog).isNotEqualTo(Subscription.of("data", "dog", true, true))
                .isNotEqualTo(Subscription.of("data", "cat", true, false))
                .isNotEqualTo(Subscription.of("other", "dog", true, false))
                .isNotEqualTo(Subscription.of("data", "dog", false, false))
                .isNotEqualTo(new Subscription("data", "dog", true, null))
                .isNotEqualTo(null)
                .isNotEqualTo("data.dog");
        assertThat(new Subscription(null, null, null, null)).isEqualTo(new Subscription(null, null, null, null))
                .hasSameHashCodeAs(new Subscription(null, null, null, null));
    }

    @Test
    void aCompleteSubscriptionHasNoProblems() {
        assertThat(Subscription.of("data", "dog", false, false).problems()).isEmpty();
    }

    @Test
    void problemsNameEachMissingField() {
        assertThat(new Subscription(null, "dog", true, true).problems()).isEqualTo("subscription null.dog lacks database");
        assertThat(new Subscription(" ", "dog", true, true).problems()).endsWith("lacks database");
        assertThat(new Subscription("data", null, true, true).problems()).isEqualTo("subscription data.null lacks table");
        assertThat(new Subscription("data", "", true, true).problems()).endsWith("lacks table");
        assertThat(new Subscription("data", "dog", null, true).problems()).isEqualTo("subscription data.dog lacks subscribe");
        assertThat(new Subscription("data", "dog", true, null).problems()).isEqualTo("subscription data.dog lacks publish");
        assertThat(new Subscription(null, null, null, null).problems())
                .isEqualTo("subscription null.null lacks database table subscribe publish");
    }

    @Test
    void jsonUsesHarperDbFieldNames() throws Exception {
        Subscription subscription = Subscription.of("data", "dog", false, true);

        assertThat(MAPPER.readTree(MAPPER.writeValueAsString(subscription)))
                .isEqualTo(MAPPER.readTree("{\"database\":\"data\",\"table\":\"dog\",\"subscribe\":false,\"publish\":true}"));
        assertThat(MAPPER.readValue("{\"database\":\"data\",\"table\":\"dog\",\"subscribe\":false,\"publish\":true}",
                Subscription.class)).isEqualTo(subscription);
    }

    @Test
    void missingFieldsReadAsNullAndAreReportedAsProblems() throws Exception {
        Subscription read = MAPPER.readValue("{\"table\":\"dog\",\"subscribe\":true}", Subscription.class);

        assertThat(read).isEqualTo(new Subscription(null, "dog", true, null));
        assertThat(read.problems()).contains("database").contains("publish").doesNotContain("table ");
    }
}
