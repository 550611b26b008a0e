package dev.tierflow.flinksession;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A child started through ParentWatchdog exits when its parent is killed with SIGKILL (no shutdown hooks run). */
class ParentWatchdogIT {

    private Process parent;
    private Process child;

    /** Stands in for Flink's entry class: runs until its JVM exits. */
    public static final class RunsForever {
        public static void main(String[] args) throws InterruptedException {
            new CountDownLatch(1).await();
        }
    }

    @AfterEach
    void cleanUp() {
        for (Process process : new Process[] {child, parent}) {
            if (process != null) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void theChildExitsWhenItsParentIsKilled() throws Exception {
        parent = new ProcessBuilder("sleep", "120").start();
        String classpath = Path.of("target/classes") + File.pathSeparator + Path.of("target/test-classes");
        child = new ProcessBuilder(FlinkSessionCluster.javaCommand(), "-cp", classpath,
                ParentWatchdog.class.getName(), String.valueOf(parent.pid()), RunsForever.class.getName())
                .redirectErrorStream(true)
                .start();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(child::isAlive);

        parent.destroyForcibly();

        await().atMost(Duration.ofSeconds(10)).until(() -> !child.isAlive());
        assertThat(child.exitValue()).isEqualTo(1);
        assertThat(new String(child.getInputStream().readAllBytes())).contains("parent process " + parent.pid() + " exited");
    }
}
