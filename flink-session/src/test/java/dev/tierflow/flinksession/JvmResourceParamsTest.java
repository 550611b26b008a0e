package dev.tierflow.flinksession;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JvmResourceParamsTest {

    /** Flink 2.2.1's real output for a 1280m TaskManager, with a log line before it. */
    private static final String TM_OUTPUT = """
            INFO  [] - Loading configuration property: taskmanager.numberOfTaskSlots, 2
            BASH_JAVA_UTILS_EXEC_RESULT:-Xmx301989882 -Xms301989882 -XX:MaxDirectMemorySize=221459252 -XX:MaxMetaspaceSize=268435456
            BASH_JAVA_UTILS_EXEC_RESULT:-D taskmanager.memory.network.min=87241524b -D taskmanager.cpu.cores=2.0 -D taskmanager.numberOfTaskSlots=2
            """;

    @Test
    void parsesThePrefixedResultLines() {
        JvmResourceParams params = JvmResourceParams.parse(TM_OUTPUT);

        assertThat(params.jvmArgs()).containsExactly(
                "-Xmx301989882", "-Xms301989882", "-XX:MaxDirectMemorySize=221459252", "-XX:MaxMetaspaceSize=268435456");
        assertThat(params.dynamicArgs()).containsExactly(
                "-D", "taskmanager.memory.network.min=87241524b",
                "-D", "taskmanager.cpu.cores=2.0",
                "-D", "taskmanager.numberOfTaskSlots=2");
    }

    @Test
    void takesTheLastTwoLinesWithoutThePrefix() {
        JvmResourceParams params = JvmResourceParams.parse("""
                some log line
                -Xmx201326592 -Xms201326592 -XX:MaxMetaspaceSize=268435456
                -D jobmanager.memory.heap.size=201326592b
                """);

        assertThat(params.jvmArgs()).containsExactly("-Xmx201326592", "-Xms201326592", "-XX:MaxMetaspaceSize=268435456");
        assertThat(params.dynamicArgs()).containsExactly("-D", "jobmanager.memory.heap.size=201326592b");
    }

    @Test
    void rejectsOutputWithoutTheTwoResults() {
        assertThatThrownBy(() -> JvmResourceParams.parse("BASH_JAVA_UTILS_EXEC_RESULT:-Xmx1\n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two result lines");
        assertThatThrownBy(() -> JvmResourceParams.parse("Exception in thread main\n\tat Foo.bar\n"))
                .hasMessageContaining("no -Xmx line");
    }
}
