package io.harperdb.replication.sidecar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminCredentialsTest {
    static final String PASSWORD = "s3cr3t-Pa55";

    @TempDir
    Path dir;

    @Test
    void readsUsernameAndPasswordFiles() throws IOException {
        write("admin", PASSWORD);

        AdminCredentials credentials = AdminCredentials.read(dir);

        assertThat(credentials.username()).isEqualTo("admin");
        assertThat(credentials.password()).isEqualTo(PASSWORD);
    }

    @Test
    void aFinalLineFeedIsNotPartOfTheValue() throws IOException {
        write("admin\n", PASSWORD + "\r\n");

        assertThat(AdminCredentials.read(dir)).isEqualTo(new AdminCredentials("admin", PASSWORD));
    }

    @Test
    void followsASecretMountedTheWayTheKubeletDoesAndUpdatesIt() throws IOException {
        // The kubelet writes each version into a hidden directory and swaps the ..data symlink.
        Path first = Files.createDirectory(dir.resolve("..2026_11_25_18_00_00.1"));
        Files.writeString(first.resolve("username"), "admin");
        Files.writeString(first.resolve("password"), PASSWORD);
        Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
        Files.createSymbolicLink(dir.resolve("username"), Path.of("..data/username"));
        Files.createSymbolicLink(dir.resolve("password"), Path.of("..data/password"));
        assertThat(AdminCredentials.read(dir).password()).isEqualTo(PASSWORD);

        Path second = Files.createDirectory(dir.resolve("..2026_11_25_18_05_00.2"));
        Files.writeString(second.resolve("username"), "admin");
        Files.writeString(second.resolve("password"), "rotated-" + PASSWORD);
        Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
        Files.move(dir.resolve("..data_tmp"), dir.resolve("..data"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);

        assertThat(AdminCredentials.read(dir).password()).isEqualTo("rotated-" + PASSWORD);
    }

    @Test
    void aMissingFileIsNamedAndNoSecretIsShown() throws IOException {
        Files.writeString(dir.resolve("password"), PASSWORD);

        assertThatThrownBy(() -> AdminCredentials.read(dir))
                .isInstanceOf(AdminCredentials.CredentialsUnavailableException.class)
                .hasMessageContaining(dir.resolve("username").toString())
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void anEmptyPasswordIsRefused() throws IOException {
        write("admin", "\n");

        assertThatThrownBy(() -> AdminCredentials.read(dir))
                .isInstanceOf(AdminCredentials.CredentialsUnavailableException.class)
                .hasMessageContaining("password")
                .hasMessageContaining("empty");
    }

    @Test
    void toStringHidesThePassword() {
        assertThat(new AdminCredentials("admin", PASSWORD).toString()).contains("admin").doesNotContain(PASSWORD);
    }

    private void write(String username, String password) throws IOException {
        Files.writeString(dir.resolve("username"), username);
        Files.writeString(dir.resolve("password"), password);
    }
}
