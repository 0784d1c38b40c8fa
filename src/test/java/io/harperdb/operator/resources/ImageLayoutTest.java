package io.harperdb.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.harperdb.operator.testing.ImageLayoutDir;
import io.harperdb.operator.testing.ImageLayoutDir.Copy;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The Dockerfile and {@link ImageLayout} describe the same image: the same directories, the jar where the
 * commands look for it, the main classes that exist. The sidecar's command is checked as the StatefulSet
 * carries it, so that a pod could start it from the image's files.
 */
class ImageLayoutTest {
    private final ImageLayoutDir.Dockerfile dockerfile = ImageLayoutDir.parse();

    @Test
    void theWorkdirIsTheAppDir() {
        assertThat(dockerfile.workdir()).isEqualTo(ImageLayout.APP_DIR);
        assertThat(ImageLayout.JAR).startsWith(ImageLayout.APP_DIR + "/");
        assertThat(ImageLayout.LIB_DIR).startsWith(ImageLayout.APP_DIR + "/");
    }

    @Test
    void theCopiesPutTheJarAndItsLibrariesWhereImageLayoutSays() throws Exception {
        Map<String, String> sourceByDestination = dockerfile.copies().stream()
                .collect(Collectors.toMap(c -> stripSlash(c.destination()), Copy::source));

        assertThat(sourceByDestination).containsOnlyKeys(ImageLayout.JAR, ImageLayout.LIB_DIR);
        assertThat(sourceByDestination.get(ImageLayout.LIB_DIR)).as("the libraries' directory")
                .isEqualTo(projectPath(pom("/project/build/plugins/plugin[artifactId='maven-dependency-plugin']//outputDirectory")) + "/");
        // The jar Maven packages (artifactId-version.jar in target/) is what the glob copies.
        String jarName = pom("/project/artifactId") + "-" + pom("/project/version") + ".jar";
        String jarSource = sourceByDestination.get(ImageLayout.JAR);
        assertThat(Path.of(jarSource).getParent()).isEqualTo(Path.of("target"));
        assertThat(FileSystems.getDefault().getPathMatcher("glob:" + Path.of(jarSource).getFileName()).matches(Path.of(jarName)))
                .as("%s matches %s", jarSource, jarName).isTrue();
        assertThat(ImageLayoutDir.copies()).extracting(Copy::toString)
                .containsExactly("/app/lib/ <- target/lib/", "/app/app.jar <- target/harperdb-operator-*.jar");
    }

    /** The jar's manifest names its libraries relative to itself (lib/x.jar): they must be copied beside it. */
    @Test
    void theJarsManifestClassPathResolvesToTheCopiedLibraries() throws Exception {
        String prefix = pom("/project/build/plugins/plugin[artifactId='maven-jar-plugin']//manifest/classpathPrefix");
        assertThat(pom("/project/build/plugins/plugin[artifactId='maven-jar-plugin']//manifest/addClasspath")).isEqualTo("true");

        String resolved = Path.of(ImageLayout.JAR).getParent().resolve(prefix).normalize().toString();
        assertThat(resolved).isEqualTo(ImageLayout.LIB_DIR);
    }

    @Test
    void theImageRunsTheOperatorByDefault() {
        assertThat(dockerfile.entrypoint()).isEqualTo(ImageLayout.entrypoint());
        assertThat(dockerfile.defaultCommand()).isEqualTo(ImageLayout.operatorCommand());
        assertThat(dockerfile.cmd()).containsExactly(ImageLayout.OPERATOR_MAIN_CLASS);
        assertResolvesToCopiedFiles(ImageLayout.operatorCommand());
    }

    @Test
    void theSidecarContainersCommandRunsTheSidecarFromTheCopiedJar() {
        Container sidecar = new DesiredStatefulSet(Clusters.OPERATOR_IMAGE).build(Clusters.demo()).getSpec().getTemplate().getSpec()
                .getContainers().stream().filter(c -> c.getName().equals(SidecarContainer.NAME)).findFirst().orElseThrow();

        assertResolvesToCopiedFiles(sidecar.getCommand());
        assertThat(sidecar.getCommand().get(0)).isEqualTo(dockerfile.entrypoint().get(0));
        assertThat(sidecar.getCommand().get(sidecar.getCommand().size() - 1)).isEqualTo(ImageLayout.SIDECAR_MAIN_CLASS);
        assertThat(sidecar.getCommand()).isEqualTo(ImageLayout.sidecarCommand());
    }

    @Test
    void theMainClassesHaveMainMethods() throws Exception {
        for (String mainClass : List.of(ImageLayout.OPERATOR_MAIN_CLASS, ImageLayout.SIDECAR_MAIN_CLASS)) {
            Method main = Class.forName(mainClass).getMethod("main", String[].class);
            assertThat(Modifier.isStatic(main.getModifiers())).as(mainClass).isTrue();
        }
    }

    /** What a test kubelet does: the COPY lines made on disk from a project directory. */
    @Test
    void theLayoutIsMadeOnDiskFromTheCopyLines(@TempDir Path project, @TempDir Path root) throws Exception {
        Files.copy(Path.of("Dockerfile"), project.resolve("Dockerfile"));
        Files.createDirectories(project.resolve("target/lib"));
        Files.writeString(project.resolve("target/lib/okhttp-4.12.0.jar"), "lib");
        Files.writeString(project.resolve("target/harperdb-operator-0.1.0.jar"), "jar");

        ImageLayoutDir.materialize(project, root);

        assertThat(ImageLayoutDir.hostPath(root, ImageLayout.JAR)).hasContent("jar");
        assertThat(ImageLayoutDir.hostPath(root, ImageLayout.LIB_DIR + "/okhttp-4.12.0.jar")).hasContent("lib");
        List<String> command = ImageLayoutDir.hostCommand(root, ImageLayout.sidecarCommand());
        assertThat(command.get(0)).endsWith("java");
        assertThat(command.get(2)).isEqualTo(ImageLayoutDir.hostPath(root, ImageLayout.JAR).toString());
    }

    /** Every -cp entry of a command is a copied file, a file in a copied directory or such a directory's wildcard. */
    private void assertResolvesToCopiedFiles(List<String> command) {
        assertThat(command).startsWith("java");
        List<String> classPath = ImageLayoutDir.classPath(command);
        assertThat(classPath).as("class path of %s", command).isNotEmpty();
        Function<String, Boolean> copied = entry -> dockerfile.copies().stream().anyMatch(c -> c.intoDirectory() || c.copiesDirectory()
                ? entry.equals(stripSlash(c.destination()) + "/*") || entry.startsWith(c.destination()) && !entry.equals(c.destination())
                : entry.equals(c.destination()));
        assertThat(classPath).as("class path entries of %s, against the Dockerfile's COPY lines %s", command, dockerfile.copies())
                .allMatch(copied::apply);
        assertThat(classPath).as("the jar is on the class path").contains(ImageLayout.JAR);
    }

    private static String stripSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** ${project.build.directory}/lib as a project path. */
    private static String projectPath(String mavenPath) {
        return mavenPath.replace("${project.build.directory}", "target").replace("${project.basedir}/", "");
    }

    private static String pom(String xpath) throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        String value = XPathFactory.newInstance().newXPath().evaluate(xpath, pom).trim();
        assertThat(value).as("pom.xml %s", xpath).isNotEmpty();
        return value;
    }
}
