package org.parisjava.reproduce;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.parisjava.report.PaperNumbers;
import org.parisjava.report.ResultsTable;

/**
 * The comparison table of a run, and whether it reproduces the paper's ordering of strategies:
 * Paris's DiT-B/2 run ranks top-2 (FID 22.60) before the monolith (29.64), top-1 (30.60) and the
 * full ensemble (47.89).
 *
 * @param table                the strategy table beside the papers' FIDs
 * @param ranking              this run's strategies, best Frechet distance first
 * @param paperRanking         the paper's order of the strategies this run measured
 * @param runRankingOfPaper    this run's order of those same strategies
 * @param orderingReproduced   whether the two orders agree
 * @param top2BeatsMonolith    the paper's headline claim, on this run (null when not both measured)
 */
public record ResultsSummary(ResultsTable table, List<String> ranking, List<String> paperRanking,
                             List<String> runRankingOfPaper, boolean orderingReproduced, Boolean top2BeatsMonolith) {

    public static ResultsSummary of(ResultsTable table) {
        List<String> ranking = table.rankingByFrechetDistance();
        List<String> paper = new ArrayList<>(PaperNumbers.PARIS_FID.keySet());
        paper.retainAll(ranking);
        paper.sort(java.util.Comparator.comparingDouble(PaperNumbers.PARIS_FID::get));
        List<String> run = new ArrayList<>(ranking);
        run.retainAll(paper);
        Boolean top2 = null;
        ResultsTable.Row t2 = row(table, "top-2");
        ResultsTable.Row mono = row(table, "monolith");
        if (t2 != null && mono != null) {
            top2 = t2.frechetDistance() < mono.frechetDistance();
        }
        return new ResultsSummary(table, ranking, List.copyOf(paper), List.copyOf(run), paper.equals(run), top2);
    }

    private static ResultsTable.Row row(ResultsTable t, String strategy) {
        return t.rows().stream().filter(r -> r.strategy().equals(strategy)).findFirst().orElse(null);
    }

    /** One honest paragraph: what this run ranked, and whether that is the paper's order. */
    public String statement() {
        StringBuilder sb = new StringBuilder();
        sb.append("This run ranks the strategies (best Frechet distance first): ")
                .append(String.join(" < ", ranking)).append(". ");
        sb.append("The paper (DiT-B/2, FID) ranks ").append(String.join(" < ", paperRanking)).append("; ");
        sb.append(orderingReproduced ? "this run reproduces that ordering"
                : "this run does not reproduce that ordering (it has " + String.join(" < ", runRankingOfPaper) + ")");
        sb.append('.');
        sb.append(" How sure: this is one seed's point estimate per strategy, with no interval, so it cannot tell a"
                + " real ordering from seed-to-seed noise; `paris reproduce --seeds 3` runs three seeds and calls an"
                + " ordering reproduced only where the intervals across seeds separate.");
        if (top2BeatsMonolith != null) {
            sb.append(String.format(Locale.ROOT, " The headline claim, top-2 better than the monolith trained on the"
                    + " same data and compute, %s here.", top2BeatsMonolith ? "holds" : "does not hold"));
        }
        return sb.toString();
    }
}
