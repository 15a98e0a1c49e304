#!/usr/bin/env python3
"""Writes notebooks/01-07 (unexecuted) from the cell lists below; with names as arguments
(e.g. `07-released-model`), only those.

The notebooks are the source of truth once written; this script exists so that their shared
parameter cell stays identical across all six. Run it, then execute the notebooks with
scripts/run_notebooks.sh to refresh the committed outputs.
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent

PARAMS = """NotebookRun nb = NotebookRun.fromEnvironment();   // PARIS_SCALE (default demo), PARIS_RUN_DIR, seed 42
Preset preset = nb.preset(); long seed = nb.seed(); Path runDir = nb.runDir(); RunLayout run = nb.run();
Reproduction.Options options = nb.options(); ProgressListener progress = nb.progress(); int K = nb.clusters();
nb"""

PARAMS_MD = """## Parameters

`NotebookRun.fromEnvironment()` reads the scale from `PARIS_SCALE` (smoke, demo, paper-b2 or
paper-xl2; default `demo`), the run folder from `PARIS_RUN_DIR` (default `runs/<scale>`, the
folder `./paris reproduce` writes) and the dataset from `PARIS_DATASET` (a name from the project's
catalogue, `./paris datasets`: `shapes`, `fashion-mnist`, `tiny-webdataset`...; default the
preset's), with seed 42. Every stage resumes: if `./paris reproduce` already ran, the cells below
only load its results."""


def md(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text.strip("\n")}


def code(text, tags=()):
    meta = {"tags": list(tags)} if tags else {}
    return {"cell_type": "code", "metadata": meta, "execution_count": None, "outputs": [],
            "source": text.strip("\n")}


def notebook(cells):
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Paris (Java)", "language": "java", "name": "paris-java"},
            "language_info": {"file_extension": ".jshell", "mimetype": "text/x-java-source", "name": "java"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


NB = {}

NB["01-data-and-clustering"] = [
    md("""
# 01 · Data and two-stage clustering

Paris never trains on the whole dataset at once. It first splits the data into K = 8 semantically
coherent clusters, and each expert later sees only its own cluster. The paper embeds 11M
LAION-Aesthetics images with DINOv2 ViT-L/14, runs a fine k-means with 1024 centroids, then
clusters those 1024 centroids into 8 coarse clusters (arXiv 2510.03434; [docs/design.md](../docs/design.md),
section 1).

This notebook runs the same two-stage procedure on the embedded **shapes** dataset (synthetic
images with captions: shape, colour, size, position, background). The default features are a
PCA of the pixels; `--features model:dinov2.pt` uses a DINOv2 you provide (see the README)."""),
    md(PARAMS_MD),
    code(PARAMS, ["parameters"]),
    md("## The data\n\nThe first images of the dataset, and their captions: the text the experts are conditioned on."),
    code("""ImageCaptionDataset data = Reproduction.openDataset(options);
List<Sample> first = data.stream().limit(16).toList();
ImageGrid.of(first.stream().map(Sample::image).toList()).withColumns(8).withScale(4)""", ["figure"]),
    code("""first.stream().limit(6).map(s -> s.caption() + "   " + s.attributes()).forEach(System.out::println);"""),
    md("""
## Clustering

Features, the fine k-means, then the coarse k-means over the fine centroids (weighted by their
sizes, so that the coarse step balances the clusters). One shard per cluster is written for its
expert, with a manifest and checksums."""),
    code("""Reproduction.runThrough(run, options, Reproduction.Stage.CLUSTER, progress);
Table clusters = Table.read().csv(run.clusteringDir().resolve("clusters.csv").toString());
clusters.selectColumns("cluster", "size", "background_majority", "background_purity", "color_majority",
        "color_purity", "shape_majority", "shape_purity")""", ["table"]),
    md("What each cluster holds (fraction of each value of the most telling attribute):"),
    code("""import javax.imageio.ImageIO;
ImageIO.read(run.clusteringDir().resolve("composition.png").toFile())""", ["figure"]),
    md("""
Purity of each attribute: the share of a cluster's images that carry its most common value,
against one single cluster (the baseline). An attribute the features see is pure; one they
ignore stays at the baseline."""),
    code("""import com.google.gson.JsonObject;
JsonObject summary = Json.read(run.clusteringDir().resolve("summary.json"), JsonObject.class);
JsonObject pur = summary.getAsJsonObject("purity"), base = summary.getAsJsonObject("baselinePurity");
List<String> attrs = new ArrayList<>(pur.keySet());
CategoryChart purity = new CategoryChartBuilder().width(700).height(380)
        .title("Cluster purity per attribute").yAxisTitle("purity").build();
purity.addSeries(K + " clusters", attrs, attrs.stream().map(a -> pur.get(a).getAsDouble()).toList());
purity.addSeries("one cluster (baseline)", attrs, attrs.stream().map(a -> base.get(a).getAsDouble()).toList());
purity""", ["figure"]),
    md("Eight real images from each cluster: what its expert will learn to draw."),
    code("""Figures.clusterSamples(run, K)""", ["figure"]),
    md("""
**What to notice.** Pixel features split the shapes by background colour, the most salient pixel
statistic (background purity near 1), while shape and colour stay near their baselines. That is
the point of the paper's DINOv2 features: they cluster by content rather than by pixels. Either
way, each cluster is a self-contained training set; notebook 02 trains one expert on each."""),
]

NB["02-isolated-expert-training"] = [
    md("""
# 02 · Isolated expert training

Each expert k is a DiT trained with flow matching on `shards/cluster-k` only: no gradients,
parameters or activations are exchanged with the others ([docs/design.md](../docs/design.md), section 2). `./paris
reproduce` trains each in its own OS process; here they run one after another in the kernel.
The monolith is the baseline: one DiT of the same size trained on all the data with the same
total compute (K times the steps of one expert).

Flow matching, with t = 1 as noise and t = 0 as data: x_t = (1 - t) x_0 + t ε, and the model
regresses the velocity v = ε - x_0."""),
    md(PARAMS_MD),
    code(PARAMS, ["parameters"]),
    code("""Reproduction.runThrough(run, options, Reproduction.Stage.MONOLITH, progress);
TrainOptions expertOptions = options.expertOptions();
String.format("each expert: %d steps of %d images (%s); monolith: %d steps",
        expertOptions.steps(), expertOptions.batch(), expertOptions.modelPreset(), options.monolithOptions().steps())"""),
    md("Every expert's data and result, read back from its checkpoint (which records its seed, options and data order):"),
    code("""TrainingTable.of(run, K)""", ["table"]),
    code("""Figures.lossCurves(run, K, options.expertOptions().batch())""", ["figure"]),
    md("""
## One training step, by hand

What the trainer just did thousands of times, written out: flow matching on eight images of
cluster 0 with a fresh expert. The batch and the model first:"""),
    code("""import ai.djl.engine.Engine; import ai.djl.ndarray.*; import ai.djl.ndarray.types.Shape; import ai.djl.training.*;
import ai.djl.training.optimizer.Optimizer; import ai.djl.training.tracker.Tracker;
Engine.getInstance().setRandomSeed((int) seed);
NDManager m = NDManager.newBaseManager();
Shard shard = Shard.open(run.shardDir(0));
DiTConfig config = FlowTrainer.modelConfig(options.expertOptions().modelPreset(), shard.spec());
DiT dit = FlowTrainer.newModel(config, m, seed);
float[] px = new float[8 * shard.spec().numel()];
for (int i = 0; i < 8; i++) shard.imageToFloat(i, px, i * shard.spec().numel());
NDArray x0 = m.create(px, new Shape(8, config.inChannels(), config.imageSize(), config.imageSize())); // (B, C, H, W)
TextBatch text = FlowTrainer.textEncoder(config).encode(IntStream.range(0, 8).mapToObj(shard::caption).toList(), m);
config"""),
    md("""
Then the step: draw noise and times, interpolate, regress the velocity, step downhill. It runs
twice on the same batch, so the second loss shows the effect of the first step. The trainer does
exactly this every step, with AdamW instead of plain gradient descent, plus caption dropout, EMA
weights, gradient clipping, a finiteness check and atomic checkpoints."""),
    code("""NDArray eps = m.randomNormal(x0.getShape()), t = m.randomUniform(0f, 1f, new Shape(8)); // noise, times (B)
NDArray xt = RectifiedFlowPath.interpolate(x0, eps, t), target = RectifiedFlowPath.velocity(x0, eps); // x_t, eps - x0
Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build();
double[] losses = new double[2];
for (int step = 0; step < 2; step++) {
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray v = dit.forward(new ParameterStore(m, false), new NDList(xt, t, text.tokens(), text.mask()), true).singletonOrThrow();
        NDArray loss = RectifiedFlowPath.loss(v, target); // mean squared error
        gc.backward(loss);
        losses[step] = loss.getFloat();
    }
    for (var p : dit.getParameters().values()) sgd.update(p.getId(), p.getArray(), p.getArray().getGradient());
}
m.close();
String.format("loss %.4f, after one gradient step %.4f", losses[0], losses[1])"""),
    md("""
Samples from single experts, each prompted with captions from its own cluster (Euler, the
preset's steps and guidance scale). An expert only knows its own cluster; the router (notebook
03) decides which expert to ask."""),
    code("""import ai.djl.ndarray.NDManager;
List<ImageU8> samples = new ArrayList<>();
List<String> rows = new ArrayList<>();
try (NDManager m = NDManager.newBaseManager()) {
    for (int k = 0; k < K; k++) {
        Shard shard = Shard.open(run.shardDir(k));
        List<String> prompts = IntStream.range(0, 6).mapToObj(i -> shard.caption(i % shard.count())).toList();
        try (ExpertSampler sampler = ExpertSampler.load(run.expertDir(k), m)) {
            samples.addAll(sampler.sampleImages(prompts, preset.samplingSteps(), (float) preset.cfgScale(), "euler", seed));
        }
        rows.add("expert " + k);
    }
}
ImageGrid.of(samples).withColumns(6).withScale(4).withRowLabels(rows)""", ["figure"]),
]

NB["03-router"] = [
    md("""
# 03 · The router

At sampling time Paris asks a small transformer which cluster the current noisy image x_t comes
from. The router is a DiT-B-style network with a learned CLS token, AdaLN on the timestep only,
and a head Linear-GELU-LayerNorm-GELU-Linear to K logits. It is trained on all the data at random
t with cross-entropy to the cluster id (arXiv 2510.03434; [docs/design.md](../docs/design.md), section 1)."""),
    md(PARAMS_MD),
    code(PARAMS, ["parameters"]),
    code("""Reproduction.runThrough(run, options, Reproduction.Stage.ROUTER, progress);
RouterAccuracy.Result acc = Figures.routerAccuracy(run);
String.format("held-out accuracy %.3f over all t (chance %.3f); %.3f at t < 0.1",
        acc.accuracy(), 1.0 / K, acc.accuracyAt(0.05))"""),
    md("""
Accuracy by timestep, on held-out images. Near t = 1 the input is almost pure noise and no router
can tell the clusters apart (chance is 1/K); near t = 0 it sees the image itself."""),
    code("""Figures.routerAccuracyChart(acc)""", ["figure"]),
    code("""RouterAccuracyTable.of(acc)""", ["table"]),
    md("The confusion matrix over all t: which clusters the router mistakes for which."),
    code("""Figures.routerConfusionChart(acc)""", ["figure"]),
    md("""
**Why top-2.** Early in sampling (t near 1) the router is unsure, and committing to one expert
(top-1) can send the trajectory to the wrong cluster for good. Mixing the two most likely
experts hedges while staying cheap; the full ensemble mixes in experts that know nothing about
the prompt. Notebook 04 measures all of them."""),
]

NB["04-inference-strategies"] = [
    md("""
# 04 · Inference strategies

The paper's central comparison: the same prompts and the same initial noise, sampled with the
monolith, top-1, top-2 (renormalized), the full router-weighted ensemble and the oracle (the true
cluster's expert). At each step every selected expert applies classifier-free guidance, then the
velocities are mixed with the router's weights ([docs/design.md](../docs/design.md), section 2). Paris reports FID 22.60 for
top-2 against 29.64 for the monolith, 30.60 for top-1 and 47.89 for the full ensemble.

Here quality is the Fréchet distance in the feature space of a small classifier the run trains
on its own real images (Inception FID needs weights you provide; see the README), and prompt
adherence is that classifier's accuracy on the prompted attributes."""),
    md(PARAMS_MD),
    code(PARAMS, ["parameters"]),
    code("""Reproduction.Result result = Reproduction.run(run, options, progress);
Table.read().csv(run.figuresDir().resolve(Figures.RESULTS_CSV).toString())""", ["table"]),
    code("""result.summary().statement()"""),
    md("Quality against cost (GFLOPs per generated image, guidance and router included):"),
    code("""Figures.tradeoffChart(result.report())""", ["figure"]),
    md("The same prompts and seeds under each strategy (one row per strategy):"),
    code("""Figures.strategySamples(run, result.report())""", ["figure"]),
    md("Which experts top-2 runs along the trajectory (mean routing weight per step, t from noise to data):"),
    code("""Figures.usageChart(result.report())""", ["figure"]),
    md("""
## Your own strategy

Strategies are small pure functions of the router's probabilities. Here top-3 and a threshold
rule (every expert whose probability is at least 0.2) sample the first eight evaluation prompts,
with the same seeds as above."""),
    code("""import ai.djl.ndarray.NDManager;
List<StrategyEvaluation.Prompt> prompts = new ArrayList<>();
for (int k = 0; k < K && prompts.size() < 8; k++) {
    Shard shard = Shard.open(run.shardDir(k));
    prompts.add(new StrategyEvaluation.Prompt(shard.caption(0), k, shard.sample(0).attributes()));
}
List<ImageU8> own = new ArrayList<>();
List<String> ownRows = new ArrayList<>();
try (NDManager m = NDManager.newBaseManager()) {
    Ensemble ensemble = Ensemble.load(run, K, m);
    EnsembleSampler sampler = new EnsembleSampler(ensemble, new SamplerConfig(Shard.open(run.shardDir(0)).spec(),
            preset.samplingSteps(), preset.cfgScale(), seed));
    try (TextEncoder encoder = FlowTrainer.textEncoder(ensemble.expertConfig())) {
        for (RoutingStrategy s : List.of(RoutingStrategy.top2(), RoutingStrategy.topK(Math.min(3, K)),
                RoutingStrategy.threshold(0.2))) {
            SamplingResult r = sampler.sample(encoder, prompts.stream().map(StrategyEvaluation.Prompt::caption).toList(),
                    prompts.stream().mapToInt(StrategyEvaluation.Prompt::trueCluster).toArray(), s, 8, progress);
            own.addAll(r.images());
            ownRows.add(String.format("%s (%.0f passes)", s.name(), r.expertForwardsPerImage()));
        }
    }
}
ImageGrid.of(own).withColumns(prompts.size()).withScale(4).withRowLabels(ownRows)""", ["figure"]),
]

NB["05-data-and-compute"] = [
    md("""
# 05 · Data and compute

Paris's second claim is economy: against DDM, the earlier decentralized diffusion work, it uses
14x less training data (11M against 158M images) and 16x less compute (72 against 1176
GPU-days), and its experts never synchronize. This notebook puts the papers' numbers next to
what this run measured."""),
    md(PARAMS_MD),
    code(PARAMS, ["parameters"]),
    code("""Figures.paperDataCompute()""", ["figure"]),
    code("""PaperTables.dataAndCompute()""", ["table"]),
    md("""
## This run

Training time of each stage, as recorded in `reproduce.json` (wall seconds times the cores
used). The experts' total equals the monolith's by construction: the same images, split K ways."""),
    code("""Reproduction.Result result = Reproduction.run(run, options, progress);
Figures.runCompute(ComputeAccounting.measuredCompute(result.stages(), K))""", ["figure"]),
    md("""
## Cost per generated image

The cost of one forward pass of each model, counted from its shapes (`ForwardCost`): in
multiply-accumulates, the unit of the DiT paper's "Gflops", and in FLOPs (2 per MAC), the unit of
the results table. Then what each strategy spends per image: expert forward passes (guidance
doubles them) and GFLOPs, router included."""),
    code("""ForwardCostTable.of(List.of(ForwardCost.of(DiTConfig.of(options.expertOptions().modelPreset())),
        ForwardCost.of(DiTConfig.of("DiT-B/2")), ForwardCost.of(DiTConfig.of("DiT-XL/2")),
        ForwardCost.of(RouterConfig.of("DiT-B/2"))))""", ["table"]),
    code("""Table.read().csv(run.figuresDir().resolve(Figures.RESULTS_CSV).toString())
        .selectColumns("strategy", "forward_passes_per_image", "gflops_per_image", "frechet_distance")""", ["table"]),
]

NB["06-fashion-mnist"] = [
    md("""
# 06 · Real images: Fashion-MNIST

The same pipeline on real photographs of clothes: Fashion-MNIST (MIT licence, Debian's
`dataset-fashion-mnist`), 10 classes, captioned by class name and downscaled to the preset's
image size. Clustering now groups garments, the experts specialize, and the evaluation
classifier is trained on the class labels."""),
    md(PARAMS_MD),
    code(PARAMS, ["parameters"]),
    code("""Reproduction.Options fashion = options.withDataset("fashion-mnist");
RunLayout fashionRun = new RunLayout(runDir.resolve("fashion-mnist"));
ImageCaptionDataset data = Reproduction.openDataset(fashion);
List<Sample> first = data.stream().limit(16).toList();
System.out.println(first.get(0).caption() + "   " + first.get(0).attributes());
ImageGrid.of(first.stream().map(Sample::image).toList()).withColumns(8).withScale(4)""", ["figure"]),
    code("""Reproduction.Result result = Reproduction.run(fashionRun, fashion, progress);
Table.read().csv(fashionRun.clusteringDir().resolve("clusters.csv").toString())""", ["table"]),
    code("""import javax.imageio.ImageIO;
ImageIO.read(fashionRun.clusteringDir().resolve("composition.png").toFile())""", ["figure"]),
    code("""Figures.clusterSamples(fashionRun, K)""", ["figure"]),
    code("""Table.read().csv(fashionRun.figuresDir().resolve(Figures.RESULTS_CSV).toString())""", ["table"]),
    code("""result.summary().statement()"""),
    code("""Figures.strategySamples(fashionRun, result.report())""", ["figure"]),
]

NB["07-released-model"] = [
    md("""
# 07 · The released Paris model

Paris (arXiv 2510.03434) is published as open weights: one Hugging Face folder,
[bageldotcom/paris](https://huggingface.co/bageldotcom/paris) (MIT licence on its model card;
downloading may need a Hugging Face login), with 8 DiT-XL/2 experts of about 605M parameters each
(`expert_0` ... `expert_7`), a DiT-B/2 router (`router/`), the sd-vae-ft-mse VAE (`vae/`) and the
CLIP ViT-L/14 text encoder (`text_encoder/`, `tokenizer/`), about 20 GB in all. Get it with
`paris datasets fetch paris-weights` (or `hf download bageldotcom/paris --local-dir DIR`).

`ParisModel.load(folder)` reads it onto the project's one `DiT` and `Router` (with the released
layout's options: learned positions, a linear text projection) through one name table,
`ReleasedNames`. Experts load when the router first picks one. Sampling is the project's
ensemble sampler: Euler from t = 1 (noise) to 0, guidance per expert against the empty prompt,
then the routed mixture ([docs/design.md](../docs/design.md), section 2).

This notebook uses the real folder when `PARIS_WEIGHTS` points at it, and otherwise the tiny
random-weight folder in the released layout that the tests use (scripts/make_paris_fixture.py):
its images are noise, but every step below is the same."""),
    code("""import org.parisjava.infer.released.*;
String env = System.getenv("PARIS_WEIGHTS");
boolean real = env != null && !env.isBlank();
Path weights = real ? Path.of(env) : Stream.of("../paris-lib/src/test/resources/paris-tiny",
        "paris-lib/src/test/resources/paris-tiny").map(Path::of).filter(Files::isDirectory).findFirst().orElseThrow();
int steps = real ? 50 : 4;
double cfg = real ? 7.5 : 3.0;
ParisModel paris = ParisModel.load(weights);
String.format("%s: %d experts of %,d parameters (%s), router of %,d parameters", real ? weights : "tiny folder",
        paris.experts(), paris.expertConfig().parameterCount(), paris.expertConfig(),
        paris.routerConfig().parameterCount())""", ["parameters"]),
    md("""
## What one image costs

FLOPs per 256 px image at the real sizes (from the configs, the project's one count,
`ForwardCost`), 50 Euler steps with guidance (two expert rows per step), the router once per step.
One real expert forward at batch 2 takes seconds on a CPU (bench/released-expert-speed.sh; the
README quotes the measurement): a top-2 image is minutes on a CPU, seconds on a GPU."""),
    code("""DiTConfig xl = DiTConfig.of("DiT-XL/2").withReleasedLayout();
ForwardCost expertCost = ForwardCost.of(xl);
ForwardCost routerCost = ForwardCost.of(RouterConfig.of("DiT-B/2").withReleasedLayout());
StringColumn names = StringColumn.create("strategy");
DoubleColumn passes = DoubleColumn.create("expert_forwards_per_image");
DoubleColumn tflops = DoubleColumn.create("tflops_per_image");
for (var e : Map.of("top-1", 1, "top-2", 2, "full", 8).entrySet().stream().sorted(Map.Entry.comparingByValue()).toList()) {
    ComputeCost c = ComputeCost.predicted(e.getKey(), e.getValue(), 50, expertCost, routerCost, true);
    names.append(e.getKey());
    passes.append(c.expertForwardsPerImage());
    tflops.append(c.gflopsPerImage() / 1000);
}
Table.create("Paris, 50 steps, guidance 7.5").addColumns(names, passes, tflops)""", ["table"]),
    md("""
## The same prompts and seeds under top-1, top-2 and full

One row per strategy, the same initial noise (seed 42) in every row."""),
    code("""List<String> prompts = List.of("a lighthouse on a cliff at sunset", "a bowl of ramen, studio photo",
        "a red fox in the snow");
Map<String, SamplingResult> runs = new LinkedHashMap<>();
List<ImageU8> cells = new ArrayList<>();
ImageSpec spec = paris.imageSpec();
for (String s : List.of("top-1", "top-2", "full")) {
    SamplingResult r = paris.sampleLatents(prompts, 1, RoutingStrategy.parse(s), steps, cfg, 42, null, ProgressListener.NONE);
    runs.put(s, r);
    float[] px = paris.decode(r);
    for (int i = 0; i < r.count(); i++) {
        cells.add(ImageU8.fromFloat(px, i * spec.numel(), spec.channels(), spec.height(), spec.width()));
    }
}
ImageGrid.of(cells).withColumns(prompts.size()).withScale(real ? 1 : 8).withRowLabels(List.copyOf(runs.keySet()))""", ["figure"]),
    md("""
## Which experts fire

The mean routing weight of each expert at each step of the top-2 run (t from 1, noise, to 0),
and which experts were read from disk at all (lazy loading: an expert the router never picks is
never loaded)."""),
    code("""ExpertUsageFigure.chart(runs.get("top-2").usage(), "top-2")""", ["figure"]),
    code("""String.format("experts loaded: %s; mean active experts per step: top-1 %.2f, top-2 %.2f, full %.2f",
        Arrays.toString(paris.loadedExperts()), runs.get("top-1").usage().meanActiveExperts(),
        runs.get("top-2").usage().meanActiveExperts(), runs.get("full").usage().meanActiveExperts())"""),
    code("""paris.close();"""),
]


def main():
    import sys
    out = ROOT / "notebooks"
    wanted = sys.argv[1:] or list(NB)
    for name, cells in NB.items():
        if name not in wanted:
            continue
        for i, cell in enumerate(cells):
            cell["id"] = f"{name[:2]}-{i:02d}"
        path = out / f"{name}.ipynb"
        path.write_text(json.dumps(notebook(cells), indent=1, ensure_ascii=False) + "\n")
        print("wrote", path.relative_to(ROOT))


if __name__ == "__main__":
    main()
