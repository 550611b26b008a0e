package dev.tierflow.flinksession;

import dev.tierflow.embedded.Ports;

/**
 * The ports of one session cluster, all chosen up front. Each process gets its own Prometheus reporter
 * port (passed as a dynamic property), so the TaskManager's metrics endpoint is known without log scraping.
 */
public record ClusterPorts(int rest, int jobManagerRpc, int blobServer, int jobManagerPrometheus, int taskManagerPrometheus) {

    static ClusterPorts free() {
        // chosen up front because both processes read them from config.yaml; see Ports for the accepted race
        int[] ports = Ports.freePorts(5);
        return new ClusterPorts(ports[0], ports[1], ports[2], ports[3], ports[4]);
    }
}
