package dev.tierflow.flinksession;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FlinkSessionMainTest {

    @Test
    void everythingAfterTheDoubleDashGoesToTheJobAndTheManifestNamesTheMainClass() {
        FlinkSessionMain.Submit submit = parseSubmit("submit", "--parallelism", "2", "job.jar", "--", "--policy", "p.yaml", "-D", "a=b");

        assertThat(submit.jar).isEqualTo(Path.of("job.jar"));
        assertThat(submit.entryClass).isNull();
        assertThat(submit.args).containsExactly("--policy", "p.yaml", "-D", "a=b");
        assertThat(submit.parallelism).isEqualTo(2);
    }

    @Test
    void anotherMainClassIsAnOption() {
        FlinkSessionMain.Submit submit = parseSubmit("submit", "--class", "com.example.Job", "job.jar", "--", "x");

        assertThat(submit.entryClass).isEqualTo("com.example.Job");
        assertThat(submit.args).containsExactly("x");
    }

    private static FlinkSessionMain.Submit parseSubmit(String... args) {
        CommandLine.ParseResult result = new CommandLine(new FlinkSessionMain()).parseArgs(args);
        return (FlinkSessionMain.Submit) result.subcommand().commandSpec().userObject();
    }
}
