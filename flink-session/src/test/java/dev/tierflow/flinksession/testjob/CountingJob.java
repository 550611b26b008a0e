package dev.tierflow.flinksession.testjob;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The job the ITs submit. Packed alone into {@code target/*-testjob.jar} (see the jar plugin in the pom):
 * it uses only Flink APIs, which the cluster provides, so the jar needs no shading.
 *
 * <p>Args: {@code COUNT [MICROS_PER_RECORD]}. A keyed sum over 1..COUNT, so records cross the network
 * between tasks and keyed state is used; COUNT 0 runs until cancelled, throttled so it does not take a core.
 */
public final class CountingJob {

    public static void main(String[] args) throws Exception {
        long count = Long.parseLong(args[0]);
        long micros = args.length > 1 ? Long.parseLong(args[1]) : 0;
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(500);
        env.fromSequence(1, count == 0 ? Long.MAX_VALUE : count)
                .map(value -> {
                    if (micros > 0) {
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(micros));
                    }
                    return Tuple2.of(value % 4, value);
                })
                .returns(Types.TUPLE(Types.LONG, Types.LONG))
                .keyBy(pair -> pair.f0)
                .sum(1)
                .sinkTo(new DiscardingSink<>());
        env.execute("tierflow-flink-session-counting-job");
    }
}
