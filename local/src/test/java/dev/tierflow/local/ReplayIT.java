package dev.tierflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code tierflow replay} on the embedded broker and registry with the whole pipeline: six recorded prompts
 * (src/test/resources/replay/outcomes.csv) under a policy that starts math on small and code on mid, with
 * every figure of the report worked out by hand below.
 *
 * <pre>
 * prompt  type  small (mistral-7b)     mid (mixtral-8x7b)   frontier (gpt-4)
 *   c1    code  1.0     50 µ$          0.8    250 µ$        1.0   1250 µ$
 *   c2    code  0.0    100 µ$ (*)      0.0    400 µ$        1.0   2000 µ$
 *   c3    code  1.0     60 µ$          (not recorded)       0.9   1000 µ$
 *   m1    math  1.0    100 µ$          1.0    300 µ$        1.0   1500 µ$
 *   m2    math  0.0    120 µ$          0.6    360 µ$        1.0   1800 µ$
 *   m3    math  0.0     80 µ$          0.0    240 µ$        0.25  1200 µ$
 * (*) no recorded cost: 40 input tokens x 1 µ$ + 12 output tokens x 5 µ$ (claude-haiku-4-5 in examples/prices.yaml)
 * </pre>
 * Success: score >= 0.5.
 */
class ReplayIT {

    @Test
    void theReportOfASmallRecordedRunIsTheOneWorkedOutByHand(@TempDir Path data) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Path csv = data.resolve("report.csv");

        int exit = new CommandLine(new ReplayCommand(new PrintStream(printed, true, StandardCharsets.UTF_8))).execute(
                "src/test/resources/replay/outcomes.csv", "--policy", "src/test/resources/replay/replay-policy.yaml",
                "--prices", "../examples/prices.yaml", "--model", "frontier=gpt-4-1106-preview", "--success-score", "0.5",
                "--csv", csv.toString(), "--kafka-port", Integer.toString(FreePorts.pair()),
                "--registry-port", Integer.toString(FreePorts.pair()), "--metrics-port", "-1", "--data-dir", data.resolve("stack").toString());

        String output = printed.toString(StandardCharsets.UTF_8);
        System.out.println(output); // the report, in the test's output file
        assertThat(exit).as(output).isZero();
        // tierflow, task by task (cost of every attempt; quality and tier of the final one):
        //   c1 mid 0.8 ok                        250            q 0.8   success  on mid
        //   c2 mid 0.0 -> frontier 1.0            400 + 2000 = 2400  q 1.0  success  on frontier
        //   c3 mid: no outcome -> error span      0              q 0    failure  on mid (without outcome)
        //   m1 small 1.0                          100            q 1.0  success  on small
        //   m2 small 0.0 -> mid 0.6               120 + 360 = 480    q 0.6  success  on mid
        //   m3 small 0 -> mid 0 -> frontier 0.25  80 + 240 + 1200 = 1520  q 0.25  failure (top tier)  on frontier
        //   cost 250 + 2400 + 0 + 100 + 480 + 1520 = 4750; quality (0.8 + 1 + 0 + 1 + 0.6 + 0.25) / 6 = 3.65 / 6 = 0.6083;
        //   success 4 / 6 = 0.6667; finished small 1, mid 3, frontier 2
        // uniform-frontier: cost 1250 + 2000 + 1000 + 1500 + 1800 + 1200 = 8750;
        //   quality (1 + 1 + 0.9 + 1 + 1 + 0.25) / 6 = 5.15 / 6 = 0.8583; success 5 / 6 = 0.8333 (m3 fails)
        // uniform-small: cost 50 + 100 + 60 + 100 + 120 + 80 = 510; quality (1 + 0 + 1 + 1 + 0 + 0) / 6 = 0.5; success 3 / 6
        // oracle: c1 small 50 (1.0), c2 frontier 2000 (1.0), c3 small 60 (1.0), m1 small 100 (1.0), m2 mid 360 (0.6),
        //   m3 none succeeds -> cheapest, small 80 (0.0, a failure): cost 2650; quality 4.6 / 6 = 0.7667; success 5 / 6;
        //   finished small 4, mid 1, frontier 1
        // vs uniform-frontier: 4750 / 8750 = 54.29 %, 510 / 8750 = 5.83 %, 2650 / 8750 = 30.29 %
        assertThat(Files.readString(csv)).isEqualTo("""
                strategy,tasks,cost_usd,cost_micros,cost_vs_uniform_frontier_pct,mean_quality,success_rate,tasks_without_outcome,finished_small,finished_mid,finished_frontier
                tierflow,6,0.004750,4750,54.29,0.6083,0.6667,1,1,3,2
                uniform-frontier,6,0.008750,8750,100.00,0.8583,0.8333,0,0,0,6
                uniform-small,6,0.000510,510,5.83,0.5000,0.5000,0,6,0,0
                oracle,6,0.002650,2650,30.29,0.7667,0.8333,0,4,1,1
                """);
        assertThat(output)
                .contains("tiers answer as small=mistral-7b-chat, mid=mixtral-8x7b-chat, frontier=gpt-4-1106-preview")
                .containsPattern("tierflow +6 +0\\.004750 +54\\.3 % +0\\.608 +66\\.7 % +1 +16\\.7 % +50\\.0 % +33\\.3 %")
                .contains("attribution job: 4,750 µ$")
                .contains("matches the tierflow row")
                .contains("tierflow: 1 of 6 tasks had no recorded outcome for the model asked");
    }
}
