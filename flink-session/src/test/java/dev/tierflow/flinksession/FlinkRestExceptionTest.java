package dev.tierflow.flinksession;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FlinkRestExceptionTest {

    /** The shape of Flink's answer to /jars/{id}/run with a missing entry class, shortened. */
    private static final String BODY = "{\"errors\":[\"Internal server error.\",\"<Exception on server side:\\n"
            + "java.util.concurrent.CompletionException: ProgramInvocationException: entry point class 'a.Main' was not found\\n"
            + "\\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.handleRequest(JarRunHandler.java:100)\\n"
            + "Caused by: java.lang.ClassNotFoundException: a.Main\\n"
            + "\\tat java.base/java.net.URLClassLoader.findClass(URLClassLoader.java:445)\\n"
            + "\\t... 53 more\\n\\nEnd of exception on server side>\"]}";

    @Test
    void theMessageKeepsTheReasonsAndDropsTheFrames() {
        FlinkRestException e = new FlinkRestException("POST jars/x/run", 500, BODY);

        assertThat(e.getMessage())
                .startsWith("POST jars/x/run -> HTTP 500: ")
                .contains("entry point class 'a.Main' was not found", "Caused by: java.lang.ClassNotFoundException: a.Main")
                .doesNotContain("URLClassLoader", "53 more");
        assertThat(e.body()).isEqualTo(BODY);
        assertThat(e.status()).isEqualTo(500);
    }
}
