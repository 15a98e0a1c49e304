package org.parisjava.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.parisjava.io.AtomicFiles;

/**
 * The comparison table of a reproduction run: one row per inference strategy with this run's
 * measurements beside the papers' FIDs for the same strategy. Written as CSV (for tools) and
 * Markdown (for the README and notebooks).
 */
public final class ResultsTable {

    /**
     * One strategy's measurements. NaN means "not measured" and is written as an empty cell.
     *
     * @param strategy        monolith, top-1, top-2, full, oracle...
     * @param frechetDistance Frechet distance to held-out real images in the evaluation feature space
     * @param adherence       prompt adherence (attribute accuracy of generated images), in [0, 1]
     * @param forwardPasses   expert forward passes per image (CFG counted)
     * @param gflopsPerImage  GFLOPs per generated image
     */
    public record Row(String strategy, double frechetDistance, double adherence, double forwardPasses,
                      double gflopsPerImage) {
    }

    private final List<Row> rows = new ArrayList<>();

    public ResultsTable add(Row row) {
        rows.add(row);
        return this;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public String toCsv() {
        StringBuilder sb = new StringBuilder(
                "strategy,frechet_distance,adherence,forward_passes_per_image,gflops_per_image,paris_fid,ddm_fid\n");
        for (Row r : rows) {
            sb.append(r.strategy()).append(',').append(num(r.frechetDistance(), 4)).append(',')
                    .append(num(r.adherence(), 4)).append(',').append(num(r.forwardPasses(), 2)).append(',')
                    .append(num(r.gflopsPerImage(), 4)).append(',').append(paper(PaperNumbers.PARIS_FID, r.strategy()))
                    .append(',').append(paper(PaperNumbers.DDM_FID, r.strategy())).append('\n');
        }
        return sb.toString();
    }

    public String toMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| strategy | Frechet distance (this run) | adherence | forward passes / image | GFLOPs / image "
                + "| Paris FID (DiT-B/2) | DDM FID (ImageNet) |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.strategy()).append(" | ").append(num(r.frechetDistance(), 3)).append(" | ")
                    .append(num(r.adherence(), 3)).append(" | ").append(num(r.forwardPasses(), 1)).append(" | ")
                    .append(num(r.gflopsPerImage(), 3)).append(" | ").append(paper(PaperNumbers.PARIS_FID, r.strategy()))
                    .append(" | ").append(paper(PaperNumbers.DDM_FID, r.strategy())).append(" |\n");
        }
        return sb.toString();
    }

    /** The strategies ordered best first by Frechet distance (unmeasured last). */
    public List<String> rankingByFrechetDistance() {
        return rows.stream()
                .sorted(java.util.Comparator.comparingDouble(r -> Double.isNaN(r.frechetDistance())
                        ? Double.POSITIVE_INFINITY : r.frechetDistance()))
                .map(Row::strategy).toList();
    }

    public void write(Path csv, Path markdown) {
        AtomicFiles.writeString(csv, toCsv());
        AtomicFiles.writeString(markdown, toMarkdown());
    }

    private static String paper(java.util.Map<String, Double> fids, String strategy) {
        Double v = fids.get(strategy);
        return v == null ? "" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String num(double v, int digits) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }
}
