package dev.tierflow.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tierflow.embedded.JdkLocator.Jdk;
import dev.tierflow.embedded.JdkLocator.NoSuitableJdkException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkLocatorTest {

    private static final String HOW_TO_FIX = "Install a JDK 21+ (e.g. apt-get install openjdk-21-jdk-headless"
            + " or Temurin 21/25) or set TIERFLOW_REGISTRY_JAVA=/path/to/jdk";

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private final Properties systemProperties = new Properties();
    private Path jdkRoot;

    @BeforeEach
    void runningJvmIsTooOld() throws IOException {
        jdkRoot = Files.createDirectories(dir.resolve("jvm"));
        systemProperties.setProperty("java.home", fakeJdk(dir.resolve("running-17"), "17.0.15").toString());
    }

    @Test
    void explicitSystemPropertyWinsOverEverythingElse() throws IOException {
        Path explicit = fakeJdk(dir.resolve("explicit"), "21.0.4");
        env.put("JAVA_HOME", fakeJdk(dir.resolve("home-25"), "25.0.3").toString());
        env.put(JdkLocator.JAVA_ENV, fakeJdk(dir.resolve("env-24"), "24").toString());
        systemProperties.setProperty(JdkLocator.JAVA_PROPERTY, explicit.toString());

        assertThat(find().home()).isEqualTo(explicit.toRealPath());
    }

    @Test
    void explicitEnvironmentVariableMayNameTheJavaExecutable() throws IOException {
        Path explicit = fakeJdk(dir.resolve("explicit"), "22.0.1");
        env.put("JAVA_HOME", fakeJdk(dir.resolve("home-25"), "25.0.3").toString());
        env.put(JdkLocator.JAVA_ENV, explicit.resolve("bin/java").toString());

        Jdk jdk = find();

        assertThat(jdk.home()).isEqualTo(explicit.toRealPath());
        assertThat(jdk.major()).isEqualTo(22);
        assertThat(jdk.javaExecutable()).isEqualTo(explicit.toRealPath().resolve("bin/java"));
    }

    @Test
    void explicitSettingThatIsTooOldIsAnErrorNotSkipped() throws IOException {
        fakeJdk(jdkRoot.resolve("temurin-25"), "25.0.3");
        env.put(JdkLocator.JAVA_ENV, fakeJdk(dir.resolve("old"), "17.0.2").toString());

        assertThatThrownBy(this::find).isInstanceOf(NoSuitableJdkException.class)
                .hasMessageContaining("TIERFLOW_REGISTRY_JAVA=" + dir.resolve("old"))
                .hasMessageContaining("is Java 17.0.2 but Apicurio Registry 3.3.3 needs Java 21+")
                .hasMessageEndingWith(HOW_TO_FIX);
    }

    @Test
    void explicitSettingThatIsNotAJdkIsAnError() {
        systemProperties.setProperty(JdkLocator.JAVA_PROPERTY, dir.resolve("nothing-here").toString());

        assertThatThrownBy(this::find).isInstanceOf(NoSuitableJdkException.class)
                .hasMessageContaining("-Dtierflow.registry.java=" + dir.resolve("nothing-here")
                        + " is neither a JDK home")
                .hasMessageEndingWith(HOW_TO_FIX);
    }

    @Test
    void javaHomeIsUsedWhenNewEnough() throws IOException {
        Path javaHome = fakeJdk(dir.resolve("home-21"), "21.0.4");
        fakeJdk(jdkRoot.resolve("temurin-25"), "25.0.3");
        env.put("JAVA_HOME", javaHome.toString());

        assertThat(find().home()).isEqualTo(javaHome.toRealPath());
    }

    @Test
    void runningJvmIsUsedWhenJavaHomeIsTooOld() throws IOException {
        Path running = fakeJdk(dir.resolve("running-23"), "23.0.1");
        systemProperties.setProperty("java.home", running.toString());
        env.put("JAVA_HOME", fakeJdk(dir.resolve("home-17"), "17.0.15").toString());
        fakeJdk(jdkRoot.resolve("temurin-25"), "25.0.3");

        assertThat(find().home()).isEqualTo(running.toRealPath());
    }

    @Test
    void otherwiseTheNewestJdkUnderTheRootIsUsed() throws IOException {
        env.put("JAVA_HOME", fakeJdk(dir.resolve("home-17"), "17.0.15").toString());
        fakeJdk(jdkRoot.resolve("java-21"), "21.0.9");
        Path newest = fakeJdk(jdkRoot.resolve("temurin-25"), "25.0.3");
        fakeJdk(jdkRoot.resolve("java-25-older"), "25.0.1");
        fakeJdk(jdkRoot.resolve("java-17"), "17.0.15");
        Files.createDirectories(jdkRoot.resolve("openjdk-17")); // no release file: ignored
        Files.createSymbolicLink(jdkRoot.resolve("default-java"), newest);

        Jdk jdk = find();

        assertThat(jdk.home()).isEqualTo(newest.toRealPath());
        assertThat(jdk.version()).isEqualTo("25.0.3");
    }

    @Test
    void noSuitableJdkSaysWhatToInstallOrSet() throws IOException {
        env.put("JAVA_HOME", fakeJdk(dir.resolve("home-17"), "17.0.15").toString());
        fakeJdk(jdkRoot.resolve("java-17"), "17.0.15");

        assertThatThrownBy(this::find).isInstanceOf(NoSuitableJdkException.class)
                .hasMessageStartingWith("Apicurio Registry 3.3.3 needs Java 21+ and none was found")
                .hasMessageContaining("JAVA_HOME=" + dir.resolve("home-17") + " (Java 17.0.15)")
                .hasMessageContaining("the running JVM " + dir.resolve("running-17") + " (Java 17.0.15)")
                .hasMessageEndingWith(HOW_TO_FIX);
    }

    @Test
    void missingJdkRootIsNoJdkNotACrash() {
        jdkRoot = dir.resolve("does-not-exist");

        assertThatThrownBy(this::find).isInstanceOf(NoSuitableJdkException.class)
                .hasMessageEndingWith(HOW_TO_FIX);
    }

    @Test
    void readsMajorVersionsOfOldAndNewSchemes() {
        assertThat(JdkLocator.majorOf("25.0.3")).isEqualTo(25);
        assertThat(JdkLocator.majorOf("21")).isEqualTo(21);
        assertThat(JdkLocator.majorOf("22-ea")).isEqualTo(22);
        assertThat(JdkLocator.majorOf("1.8.0_402")).isEqualTo(8);
    }

    private Jdk find() {
        return new JdkLocator(21, "Apicurio Registry 3.3.3", env, systemProperties, jdkRoot).find();
    }

    /** A directory that looks like a JDK home: a release file and an (empty) bin/java. */
    private static Path fakeJdk(Path home, String version) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin/java"), "");
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"" + version
                + "\"\nJAVA_RUNTIME_VERSION=\"" + version + "+7\"\n");
        return home;
    }
}
