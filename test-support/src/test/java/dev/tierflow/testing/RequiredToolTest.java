package dev.tierflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class RequiredToolTest {

    @Test
    void aMissingToolSkipsOutsideCi() {
        assertThatThrownBy(() -> RequiredTool.assumeOrFail("promtool on the PATH", false, Map.of()))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("promtool on the PATH");
    }

    @Test
    void aMissingToolFailsUnderCi() {
        assertThatThrownBy(() -> RequiredTool.assumeOrFail("promtool on the PATH", false, Map.of("CI", "true")))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("CI=true");
    }

    @Test
    void aToolThatIsThereNeitherSkipsNorFails() {
        assertThatCode(() -> RequiredTool.assumeOrFail("chromium on the PATH", true, Map.of("CI", "true"))).doesNotThrowAnyException();
    }

    @Test
    void onlyCiTrueIsCi() {
        assertThat(RequiredTool.isCi(Map.of("CI", "TRUE"))).isTrue();
        assertThat(RequiredTool.isCi(Map.of("CI", "false"))).isFalse();
        assertThat(RequiredTool.isCi(Map.of())).isFalse();
    }

    @Test
    void findsAnExecutableOnThePath(@TempDir Path empty, @TempDir Path bin) throws Exception {
        Path tool = Files.createFile(bin.resolve("sometool"));
        tool.toFile().setExecutable(true);

        assertThat(RequiredTool.onPath("sometool", empty + File.pathSeparator + bin)).contains(tool);
        assertThat(RequiredTool.onPath("othertool", empty + File.pathSeparator + bin)).isEmpty();
        assertThat(RequiredTool.onPath("sometool", null)).isEmpty();
    }
}
