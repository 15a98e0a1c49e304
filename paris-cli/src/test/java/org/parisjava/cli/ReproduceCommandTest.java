package org.parisjava.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parisjava.io.Json;
import org.parisjava.reproduce.ComputeAccounting;
import org.parisjava.reproduce.Figures;
import org.parisjava.reproduce.RunManifest;
import org.parisjava.run.RunLayout;
import org.parisjava.train.Checkpoint;
import org.parisjava.train.FlowTrainer;

/** {@code paris reproduce --preset smoke}: every stage for real, experts as OS processes, then resume and re-evaluate. */
class ReproduceCommandTest {
    @TempDir
    Path tmp;

    @Test
    void anImageFolderIsRefusedBeforeAnyStageWithTheReason() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("photos"));
        for (int i = 0; i < 4; i++) {
            ImageIO.write(new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB), "png",
                    images.resolve(i + ".png").toFile());
            Files.writeString(images.resolve(i + ".txt"), "a black square");
        }
        Path out = tmp.resolve("refused");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        int code;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            code = ParisCli.run("reproduce", "--preset", "smoke", "--dataset", "folder:" + images, "--out",
                    out.toString());
        } finally {
            System.setErr(old);
        }
        assertEquals(1, code);
        String message = err.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(message.contains("cannot be evaluated") && message.contains("attributes []"), message);
        assertTrue(!Files.exists(out), "nothing may be written for a refused run");
    }

    @Test
    void smokeReproductionWritesEveryFigureAndTheTableThenResumesWithoutRedoingAnything() throws Exception {
        RunLayout run = new RunLayout(tmp.resolve("run"));
        assertEquals(0, ParisCli.run("reproduce", "--preset", "smoke", "--out", run.root().toString(), "--seed", "7",
                "--eval-images", "32", "--parallel", "2"));

        JsonObject config = Json.read(run.runConfig(), JsonObject.class);
        assertEquals("smoke", config.get("preset").getAsString());
        assertEquals(7, config.get("seed").getAsLong());
        for (int k = 0; k < 4; k++) {
            Checkpoint c = Checkpoint.latest(run.expertDir(k).resolve(FlowTrainer.CHECKPOINTS)).orElseThrow();
            assertEquals(60, c.info().step());
            assertEquals(7, c.info().seed());
            assertTrue(Files.readString(run.expertDir(k).resolve("train.log")).contains("step 60/60"),
                    "expert " + k + " must have trained in its own process, logging to train.log");
        }
        assertEquals(240, Checkpoint.latest(run.monolithDir().resolve(FlowTrainer.CHECKPOINTS)).orElseThrow()
                .info().step(), "the monolith gets K x the expert steps");
        // the monolith and the router trained beside the experts, each in its own process of the same pool
        assertTrue(Files.readString(run.monolithDir().resolve("train.log")).contains("step 240/240"));
        assertTrue(Files.isRegularFile(run.routerDir().resolve("train.log")));
        List<RunManifest.StageRecord> stages = RunManifest.readStages(run);
        for (String s : List.of("monolith", "router")) {
            RunManifest.StageRecord r = stages.stream().filter(x -> x.stage().equals(s)).findFirst().orElseThrow();
            assertEquals("experts", r.beside(), s + ": " + stages);
            assertTrue(!r.skipped() && r.seconds() > 0, s + ": " + stages);
        }
        // fig6 counts each model's own CPU seconds, from its checkpoints: the monolith's 4 x the steps cost more
        // than any one expert, and the four experts together about as much as the monolith
        java.util.Map<String, Double> compute = ComputeAccounting.measuredCompute(run, stages, 4);
        assertEquals(List.of("4 experts (together)", "monolith", "router"), List.copyOf(compute.keySet()));
        double monolith = compute.get("monolith");
        double experts = compute.get("4 experts (together)");
        for (int k = 0; k < 4; k++) {
            double e = Checkpoint.latest(run.expertDir(k).resolve(FlowTrainer.CHECKPOINTS)).orElseThrow().info()
                    .cpuSeconds();
            assertTrue(e > 0 && e < monolith, "expert " + k + " " + e + " CPU-s, monolith " + monolith);
        }
        assertTrue(experts > monolith / 3 && experts < monolith * 3, "experts " + experts + ", monolith " + monolith);

        Path figures = run.figuresDir();
        for (String f : List.of(Figures.COMPOSITION, Figures.CLUSTER_SAMPLES, Figures.LOSS_CURVES,
                Figures.ROUTER_ACCURACY, Figures.ROUTER_CONFUSION, Figures.TRADEOFF, Figures.STRATEGY_SAMPLES,
                Figures.USAGE, Figures.DATA_COMPUTE, Figures.RUN_COMPUTE)) {
            BufferedImage img = ImageIO.read(figures.resolve(f).toFile());
            assertNotNull(img, f);
            assertTrue(img.getWidth() >= 100 && img.getHeight() >= 100, f + " is " + img.getWidth() + "x" + img.getHeight());
        }
        List<String> csv = Files.readAllLines(figures.resolve(Figures.RESULTS_CSV));
        assertEquals(6, csv.size(), String.join("\n", csv));
        for (String strategy : List.of("monolith", "top-1", "top-2", "full", "oracle")) {
            assertTrue(csv.stream().anyMatch(l -> l.startsWith(strategy + ",")), strategy);
        }
        assertTrue(csv.stream().anyMatch(l -> l.startsWith("top-2,") && l.endsWith(",22.60,10.31")),
                "the paper's numbers stand beside this run's: " + csv);
        assertControlsOrdered(csv, Files.readAllLines(figures.resolve("controls.csv")));
        String summary = Files.readString(figures.resolve(Figures.SUMMARY));
        assertTrue(summary.contains("ordering"), summary);

        // resume: nothing is retrained
        // a finished run only redraws its figures: every file outside figures/ keeps its time (checkpoints of
        // every model, shards, the clustering, the evaluation's results and samples)
        java.util.Map<Path, FileTime> before = fileTimesOutsideFigures(run);
        assertTrue(before.keySet().stream().anyMatch(p -> p.endsWith(Checkpoint.MODEL))
                && before.containsKey(run.evalDir().resolve("results.json")), before.keySet().toString());
        assertEquals(0, ParisCli.run("reproduce", "--preset", "smoke", "--out", run.root().toString(), "--seed", "7",
                "--eval-images", "32"));
        java.util.Map<Path, FileTime> after = fileTimesOutsideFigures(run);
        assertEquals(before, after);

        // other settings on the same folder are refused, and nothing is touched
        assertNotEquals(0, ParisCli.run("reproduce", "--preset", "smoke", "--out", run.root().toString(), "--seed", "8"));
        assertEquals(7, Json.read(run.runConfig(), JsonObject.class).get("seed").getAsLong());

        // evaluate: another set of strategies on the same trained run
        assertEquals(0, ParisCli.run("evaluate", "--run", run.root().toString(), "--strategies", "top-1,top-3,oracle"));
        List<String> again = Files.readAllLines(figures.resolve(Figures.RESULTS_CSV));
        assertEquals(4, again.size(), String.join("\n", again));
        assertTrue(again.get(2).startsWith("top-3,"), again.toString());
    }

    /**
     * The controls rank where they must: held-out real images get a KID about zero (its interval
     * reaches 0) and below every strategy's; real images score far above the generated ones on
     * adherence, matched or shuffled.
     */
    private static void assertControlsOrdered(List<String> results, List<String> controls) {
        assertEquals(3, controls.size(), String.join("\n", controls));
        List<String> rh = List.of(results.get(0).split(",", -1));
        List<String> ch = List.of(controls.get(0).split(",", -1));
        String[] real = controls.stream().filter(l -> l.startsWith("real (held-out),")).findFirst().orElseThrow()
                .split(",", -1);
        String[] shuffled = controls.stream().filter(l -> l.startsWith("shuffled prompts (monolith),")).findFirst()
                .orElseThrow().split(",", -1);
        String[] mono = results.stream().filter(l -> l.startsWith("monolith,")).findFirst().orElseThrow().split(",", -1);
        double realKid = Double.parseDouble(real[ch.indexOf("kid")]);
        assertTrue(Double.parseDouble(real[ch.indexOf("kid_low")]) <= 0, "real vs real KID interval reaches 0: "
                + String.join(",", real));
        for (String line : results.subList(1, results.size())) {
            assertTrue(realKid < Double.parseDouble(line.split(",", -1)[rh.indexOf("kid")]),
                    "real images have a lower KID than " + line + " (" + realKid + ")");
        }
        double realAdherence = Double.parseDouble(real[ch.indexOf("adherence")]);
        double shuffledAdherence = Double.parseDouble(shuffled[ch.indexOf("adherence")]);
        double matched = Double.parseDouble(mono[rh.indexOf("adherence")]);
        // At smoke scale the monolith is barely trained: matched and shuffled prompts both score near
        // chance (0.14 and 0.16 for seed 7), so only the real images' lead is asserted here; the
        // shuffled control's gap to the matched prompts is a demo-scale result.
        assertTrue(realAdherence > matched + 0.3 && realAdherence > shuffledAdherence + 0.3, "adherence: real "
                + realAdherence + " well above matched " + matched + " and shuffled " + shuffledAdherence);
    }

    /** Modification times of the run's files, except figures/ and the logs a rerun appends to. */
    private static java.util.Map<Path, FileTime> fileTimesOutsideFigures(RunLayout run) throws java.io.IOException {
        java.util.Map<Path, FileTime> times = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> files = Files.walk(run.root())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (!f.startsWith(run.figuresDir()) && !name.equals("reproduce.json") && !name.equals("run.json")
                        && !name.endsWith(".lock") && !name.endsWith(".log")) {
                    times.put(f, Files.getLastModifiedTime(f));
                }
            }
        }
        return times;
    }
}
