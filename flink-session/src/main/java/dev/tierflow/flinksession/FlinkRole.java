package dev.tierflow.flinksession;

/** The two kinds of process in a session cluster: what flink-dist's jobmanager.sh and taskmanager.sh would start. */
enum FlinkRole {
    JOB_MANAGER("jobmanager", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", "GET_JM_RESOURCE_PARAMS"),
    TASK_MANAGER("taskmanager", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "GET_TM_RESOURCE_PARAMS");

    /** Base name of the log files. */
    final String logName;
    final String entryClass;
    /** The BashJavaUtils command that derives this process's memory flags from config.yaml. */
    final String resourceCommand;

    FlinkRole(String logName, String entryClass, String resourceCommand) {
        this.logName = logName;
        this.entryClass = entryClass;
        this.resourceCommand = resourceCommand;
    }
}
