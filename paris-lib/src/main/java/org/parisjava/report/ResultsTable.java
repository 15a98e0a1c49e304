package org.parisjava.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.parisjava.eval.BootstrapInterval;
import org.parisjava.io.AtomicFiles;

/**
 * The comparison table of a reproduction run: one row per inference strategy with this run's
 * measurements beside the papers' FIDs for the same strategy. Written as CSV (for tools) and
 * Markdown (for the README and notebooks).
 */
public final class ResultsTable {

    /**
     * One strategy's measurements. NaN (or a null interval) means "not measured" and is written as an
     * empty cell; an adherence that was not measured is written "not measured" in the Markdown.
     *
     * @param strategy        monolith, top-1, top-2, full, oracle... (or a control's name)
     * @param frechetDistance Frechet distance to the real reference in the evaluation feature space (its PCA
     *                        space when {@code fdInterval} is given)
     * @param adherence       prompt adherence (attribute accuracy of generated images), in [0, 1]
     * @param forwardPasses   expert forward passes per image (CFG counted)
     * @param gflopsPerImage  GFLOPs per generated image
     * @param fdInterval      the Frechet distance with its bootstrap 95% interval, or null
     * @param kid             KID with its bootstrap 95% interval, or null
     * @param precision       improved precision (k = 3), or NaN
     * @param recall          improved recall (k = 3), or NaN
     * @param clipScore       CLIP score (arXiv 2104.08718, 0..100) with its bootstrap 95% interval, or null when no
     *                        CLIP model was given
     */
    public record Row(String strategy, double frechetDistance, double adherence, double forwardPasses,
                      double gflopsPerImage, BootstrapInterval fdInterval, BootstrapInterval kid, double precision,
                      double recall, BootstrapInterval clipScore) {
        /** A row without a CLIP score. */
        public Row(String strategy, double frechetDistance, double adherence, double forwardPasses,
                   double gflopsPerImage, BootstrapInterval fdInterval, BootstrapInterval kid, double precision,
                   double recall) {
            this(strategy, frechetDistance, adherence, forwardPasses, gflopsPerImage, fdInterval, kid, precision,
                    recall, null);
        }

        /** A row with the Frechet distance alone (no intervals, KID or precision/recall). */
        public Row(String strategy, double frechetDistance, double adherence, double forwardPasses,
                   double gflopsPerImage) {
            this(strategy, frechetDistance, adherence, forwardPasses, gflopsPerImage, null, null, Double.NaN,
                    Double.NaN);
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<Row> controls = new ArrayList<>();
    private String note = "";

    public ResultsTable add(Row row) {
        rows.add(row);
        return this;
    }

    /** A control row (real vs real, shuffled prompts): written below the strategies, never ranked. */
    public ResultsTable addControl(Row row) {
        controls.add(row);
        return this;
    }

    /** A sentence printed under the Markdown table (the feature space, how adherence was scored). */
    public ResultsTable note(String text) {
        this.note = text == null ? "" : text;
        return this;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public List<Row> controls() {
        return List.copyOf(controls);
    }

    /**
     * strategy, frechet_distance, fd_low, fd_high, kid, kid_low, kid_high, precision, recall, adherence,
     * forward_passes_per_image, gflops_per_image, paris_fid, ddm_fid: one line per strategy.
     */
    public String toCsv() {
        boolean clip = clipMeasured();
        StringBuilder sb = new StringBuilder("strategy,frechet_distance,fd_low,fd_high,kid,kid_low,kid_high,precision,"
                + "recall,adherence," + (clip ? CLIP_CSV + "," : "")
                + "forward_passes_per_image,gflops_per_image,paris_fid,ddm_fid\n");
        for (Row r : rows) {
            sb.append(r.strategy()).append(',').append(num(r.frechetDistance(), 4)).append(',')
                    .append(intervalCsv(r)).append(',')
                    .append(num(r.adherence(), 4)).append(',').append(clip ? clipCsv(r) + "," : "")
                    .append(num(r.forwardPasses(), 2)).append(',')
                    .append(num(r.gflopsPerImage(), 4)).append(',').append(paper(PaperNumbers.PARIS_FID, r.strategy()))
                    .append(',').append(paper(PaperNumbers.DDM_FID, r.strategy())).append('\n');
        }
        return sb.toString();
    }

    /** control, frechet_distance, fd_low, fd_high, kid, kid_low, kid_high, precision, recall, adherence. */
    public String controlsCsv() {
        boolean clip = clipMeasured();
        StringBuilder sb = new StringBuilder("control,frechet_distance,fd_low,fd_high,kid,kid_low,kid_high,precision,"
                + "recall,adherence" + (clip ? "," + CLIP_CSV : "") + "\n");
        for (Row r : controls) {
            sb.append(r.strategy()).append(',').append(num(r.frechetDistance(), 4)).append(',').append(intervalCsv(r))
                    .append(',').append(num(r.adherence(), 4)).append(clip ? "," + clipCsv(r) : "").append('\n');
        }
        return sb.toString();
    }

    private static final String CLIP_CSV = "clip_score,clip_low,clip_high";

    /** Whether any row or control carries a CLIP score: only then do the tables have its column. */
    public boolean clipMeasured() {
        return rows.stream().anyMatch(r -> r.clipScore() != null) || controls.stream().anyMatch(r -> r.clipScore() != null);
    }

    private static String clipCsv(Row r) {
        BootstrapInterval c = r.clipScore();
        return c == null ? ",," : String.join(",", num(c.estimate(), 4), num(c.lower(), 4), num(c.upper(), 4));
    }

    private static String clipMd(Row r) {
        return r.clipScore() == null ? "" : r.clipScore().format(2);
    }

    private static String intervalCsv(Row r) {
        BootstrapInterval f = r.fdInterval();
        BootstrapInterval k = r.kid();
        return String.join(",", f == null ? "" : num(f.lower(), 4), f == null ? "" : num(f.upper(), 4),
                k == null ? "" : num(k.estimate(), 6), k == null ? "" : num(k.lower(), 6),
                k == null ? "" : num(k.upper(), 6), num(r.precision(), 4), num(r.recall(), 4));
    }

    public String toMarkdown() {
        boolean clip = clipMeasured();
        String clipHead = clip ? " CLIP score [95%] |" : "";
        String clipRule = clip ? "---:|" : "";
        StringBuilder sb = new StringBuilder();
        sb.append("| strategy | Frechet distance (this run) | adherence |" + clipHead + " forward passes / image | "
                + "GFLOPs / image | Paris FID (DiT-B/2) | DDM FID (ImageNet) |\n");
        sb.append("|---|---:|---:|" + clipRule + "---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.strategy()).append(" | ").append(fdMd(r)).append(" | ")
                    .append(adherenceMd(r)).append(clip ? " | " + clipMd(r) : "").append(" | ")
                    .append(num(r.forwardPasses(), 1)).append(" | ")
                    .append(num(r.gflopsPerImage(), 3)).append(" | ").append(paper(PaperNumbers.PARIS_FID, r.strategy()))
                    .append(" | ").append(paper(PaperNumbers.DDM_FID, r.strategy())).append(" |\n");
        }
        if (rows.stream().anyMatch(r -> r.kid() != null) || !controls.isEmpty()) {
            sb.append("\n| strategy | KID x 1000 [95%] | precision | recall | adherence |" + clipHead
                    + "\n|---|---:|---:|---:|---:|" + clipRule + "\n");
            for (Row r : rows) {
                sb.append("| ").append(r.strategy()).append(" | ").append(kidMd(r)).append(" | ")
                        .append(num(r.precision(), 3)).append(" | ").append(num(r.recall(), 3)).append(" | ")
                        .append(adherenceMd(r)).append(clip ? " | " + clipMd(r) : "").append(" |\n");
            }
        }
        if (!controls.isEmpty()) {
            sb.append("\n| control | Frechet distance | KID x 1000 [95%] | precision | recall | adherence |" + clipHead
                    + "\n|---|---:|---:|---:|---:|---:|" + clipRule + "\n");
            for (Row r : controls) {
                sb.append("| ").append(r.strategy()).append(" | ").append(fdMd(r)).append(" | ").append(kidMd(r))
                        .append(" | ").append(num(r.precision(), 3)).append(" | ").append(num(r.recall(), 3))
                        .append(" | ").append(adherenceMd(r)).append(clip ? " | " + clipMd(r) : "").append(" |\n");
            }
        }
        if (!note.isEmpty()) {
            sb.append('\n').append(note).append('\n');
        }
        return sb.toString();
    }

    private static String fdMd(Row r) {
        return r.fdInterval() == null ? num(r.frechetDistance(), 3) : r.fdInterval().format(3);
    }

    private static String kidMd(Row r) {
        BootstrapInterval k = r.kid();
        return k == null ? "" : String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", 1000 * k.estimate(), 1000 * k.lower(),
                1000 * k.upper());
    }

    private static String adherenceMd(Row r) {
        return Double.isNaN(r.adherence()) ? "not measured" : num(r.adherence(), 3);
    }

    /** The strategies ordered best first by Frechet distance (unmeasured last). */
    public List<String> rankingByFrechetDistance() {
        return rows.stream()
                .sorted(java.util.Comparator.comparingDouble(r -> Double.isNaN(r.frechetDistance())
                        ? Double.POSITIVE_INFINITY : r.frechetDistance()))
                .map(Row::strategy).toList();
    }

    /** Writes the strategies' CSV and the Markdown; the controls' CSV goes beside the first when there are any. */
    public void write(Path csv, Path markdown) {
        AtomicFiles.writeString(csv, toCsv());
        AtomicFiles.writeString(markdown, toMarkdown());
        if (!controls.isEmpty()) {
            AtomicFiles.writeString(csv.resolveSibling("controls.csv"), controlsCsv());
        }
    }

    private static String paper(java.util.Map<String, Double> fids, String strategy) {
        Double v = fids.get(strategy);
        return v == null ? "" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String num(double v, int digits) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
