package dev.tierflow.flinksession;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Runs in a JobManager or TaskManager JVM in front of Flink's entry class: exits that JVM once the JVM that
 * started it is gone. A shutdown hook in the parent covers a normal exit or SIGTERM, but not SIGKILL (a
 * killed IDE test run, the OOM killer); without this the cluster would keep running and holding its ports.
 *
 * <p>Args: {@code PARENT_PID ENTRY_CLASS ENTRY_ARGS...}. Only JDK classes, so it runs on any classpath.
 */
public final class ParentWatchdog {

    private ParentWatchdog() {
    }

    public static void main(String[] args) throws Exception {
        long parentPid = Long.parseLong(args[0]);
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty()) {
            System.err.println("parent process " + parentPid + " is already gone; not starting " + args[1]);
            System.exit(1);
        }
        Thread watch = new Thread(() -> {
            parent.get().onExit().join();
            System.err.println("parent process " + parentPid + " exited; stopping " + args[1]);
            // System.exit runs Flink's shutdown hooks, as a SIGTERM would
            System.exit(1);
        }, "tierflow-parent-watchdog");
        watch.setDaemon(true);
        watch.start();
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }
}
