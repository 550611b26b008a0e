package dev.tierflow.local;

import picocli.CommandLine.Option;

/**
 * Where the running stack is, for the commands that talk to one ({@code produce}, {@code status},
 * {@code policy show}); the defaults are the addresses {@code up} and {@code demo} listen on.
 */
final class ClusterOptions {

    @Option(names = "--bootstrap-servers", defaultValue = "localhost:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--registry-url", defaultValue = "http://localhost:8080/apis/registry/v3",
            description = "Apicurio Registry v3 API URL (default: ${DEFAULT-VALUE}).")
    String registryUrl;
}
