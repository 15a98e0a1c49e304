package org.parisjava.cluster;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.parisjava.io.AtomicFiles;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What each cluster holds: sizes, and for each evaluation attribute (shape, colour, class
 * label...) the count of every value per cluster. Built incrementally, one sample at a time, so a
 * streaming assignment pass can fill it.
 *
 * <p>Purity of an attribute: the fraction of samples whose value equals their cluster's majority
 * value. It is 1 when every cluster is pure in that attribute; its floor is the share of the
 * most common value overall ({@link #baselinePurity}), what a single cluster would score.
 */
public final class ClusterComposition {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClusterComposition.class);

    /** Values beyond this many per attribute are lumped as "other" in the chart (the table keeps them all). */
    static final int CHART_VALUES = 12;

    /** Fill colours for attribute values that are colour words (shapes' colour and background). */
    private static final Map<String, java.awt.Color> NAMED_COLORS = Map.ofEntries(
            Map.entry("red", new java.awt.Color(220, 40, 40)), Map.entry("green", new java.awt.Color(40, 170, 60)),
            Map.entry("blue", new java.awt.Color(40, 80, 220)), Map.entry("yellow", new java.awt.Color(240, 220, 40)),
            Map.entry("purple", new java.awt.Color(150, 60, 190)), Map.entry("orange", new java.awt.Color(245, 140, 30)),
            Map.entry("white", new java.awt.Color(225, 225, 225)), Map.entry("black", new java.awt.Color(20, 20, 20)),
            Map.entry("gray", new java.awt.Color(128, 128, 128)), Map.entry("grey", new java.awt.Color(128, 128, 128)));

    private final int k;
    private final List<String> attributeNames;
    private final long[] sizes;
    /** attribute -> cluster -> value -> count; values sorted so tables and charts are stable */
    private final Map<String, List<TreeMap<String, Long>>> counts = new LinkedHashMap<>();

    private ClusterComposition(int k, List<String> attributeNames) {
        if (k < 1) {
            throw new IllegalArgumentException("Invalid number of clusters: " + k);
        }
        this.k = k;
        this.attributeNames = List.copyOf(attributeNames);
        this.sizes = new long[k];
        for (String a : this.attributeNames) {
            List<TreeMap<String, Long>> per = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                per.add(new TreeMap<>());
            }
            counts.put(a, per);
        }
    }

    /** An empty composition over {@code k} clusters that counts the given attributes. */
    public static ClusterComposition empty(int k, List<String> attributeNames) {
        return new ClusterComposition(k, attributeNames);
    }

    /** Composition of a whole assignment: sample i is in cluster {@code assignments[i]} and has {@code attributes.get(i)}. */
    public static ClusterComposition of(int k, int[] assignments, List<Map<String, String>> attributes,
                                        List<String> attributeNames) {
        if (assignments.length != attributes.size()) {
            throw new IllegalArgumentException(assignments.length + " assignments but " + attributes.size()
                    + " attribute maps");
        }
        ClusterComposition c = new ClusterComposition(k, attributeNames);
        for (int i = 0; i < assignments.length; i++) {
            c.add(assignments[i], attributes.get(i));
        }
        return c;
    }

    /** Counts one sample; a missing attribute counts as the value "?". */
    public void add(int cluster, Map<String, String> attributes) {
        if (cluster < 0 || cluster >= k) {
            throw new IllegalArgumentException("Cluster " + cluster + " outside [0, " + k + ")");
        }
        sizes[cluster]++;
        for (Map.Entry<String, List<TreeMap<String, Long>>> e : counts.entrySet()) {
            String v = attributes.getOrDefault(e.getKey(), "?");
            e.getValue().get(cluster).merge(v, 1L, Long::sum);
        }
    }

    public int k() {
        return k;
    }

    public List<String> attributeNames() {
        return attributeNames;
    }

    public long[] sizes() {
        return sizes.clone();
    }

    public long total() {
        long s = 0;
        for (long x : sizes) {
            s += x;
        }
        return s;
    }

    /** Value counts of {@code attribute} in {@code cluster}, values in sorted order. */
    public Map<String, Long> counts(int cluster, String attribute) {
        return java.util.Collections.unmodifiableMap(perCluster(attribute).get(cluster));
    }

    /** The most common value of {@code attribute} in {@code cluster} (ties: the first in sort order); empty for an empty cluster. */
    public Optional<String> majority(int cluster, String attribute) {
        return perCluster(attribute).get(cluster).entrySet().stream()
                .max(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey);
    }

    /** Share of {@code cluster}'s samples that carry its majority value (0 for an empty cluster). */
    public double purity(int cluster, String attribute) {
        long n = sizes[cluster];
        return n == 0 ? 0 : (double) maxCount(perCluster(attribute).get(cluster)) / n;
    }

    /** Fraction of all samples whose value equals their cluster's majority value. */
    public double purity(String attribute) {
        long hit = 0;
        for (TreeMap<String, Long> m : perCluster(attribute)) {
            hit += maxCount(m);
        }
        long n = total();
        return n == 0 ? 0 : (double) hit / n;
    }

    /** Purity of one cluster holding everything: the share of the most common value. */
    public double baselinePurity(String attribute) {
        TreeMap<String, Long> all = new TreeMap<>();
        for (TreeMap<String, Long> m : perCluster(attribute)) {
            m.forEach((v, c) -> all.merge(v, c, Long::sum));
        }
        long n = total();
        return n == 0 ? 0 : (double) maxCount(all) / n;
    }

    /** The attribute the clusters follow most: the largest purity gain over its baseline. */
    public Optional<String> bestAttribute() {
        return attributeNames.stream()
                .max(Comparator.comparingDouble(a -> purity(a) - baselinePurity(a)));
    }

    private static long maxCount(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private List<TreeMap<String, Long>> perCluster(String attribute) {
        List<TreeMap<String, Long>> per = counts.get(attribute);
        if (per == null) {
            throw new IllegalArgumentException("Unknown attribute '" + attribute + "'; known: " + attributeNames);
        }
        return per;
    }

    /** The columns of {@link #table()} and of composition.csv. */
    static final List<String> TABLE_COLUMNS = List.of("cluster", "attribute", "value", "count", "fraction");

    /** Long format, one row per (cluster, attribute, value): cluster, attribute, value, count, fraction of the cluster. */
    public Table table() {
        IntColumn cl = IntColumn.create(TABLE_COLUMNS.get(0));
        StringColumn at = StringColumn.create(TABLE_COLUMNS.get(1));
        StringColumn va = StringColumn.create(TABLE_COLUMNS.get(2));
        LongColumn co = LongColumn.create(TABLE_COLUMNS.get(3));
        DoubleColumn fr = DoubleColumn.create(TABLE_COLUMNS.get(4));
        for (Object[] r : tableRows()) {
            cl.append((Integer) r[0]);
            at.append((String) r[1]);
            va.append((String) r[2]);
            co.append((Long) r[3]);
            fr.append((Double) r[4]);
        }
        return Table.create("composition", cl, at, va, co, fr);
    }

    private List<Object[]> tableRows() {
        List<Object[]> rows = new ArrayList<>();
        for (String a : attributeNames) {
            for (int c = 0; c < k; c++) {
                for (Map.Entry<String, Long> e : perCluster(a).get(c).entrySet()) {
                    rows.add(new Object[]{c, a, e.getKey(), e.getValue(), (double) e.getValue() / sizes[c]});
                }
            }
        }
        return rows;
    }

    /** One row per cluster: size, and for each attribute its majority value and purity in that cluster. */
    public Table summary() {
        List<String> names = summaryColumns();
        IntColumn cl = IntColumn.create(names.get(0));
        LongColumn size = LongColumn.create(names.get(1));
        Table t = Table.create("clusters", cl, size);
        List<Object[]> rows = summaryRows();
        for (Object[] r : rows) {
            cl.append((Integer) r[0]);
            size.append((Long) r[1]);
        }
        for (int i = 0; i < attributeNames.size(); i++) {
            StringColumn maj = StringColumn.create(names.get(2 + 2 * i));
            DoubleColumn pur = DoubleColumn.create(names.get(3 + 2 * i));
            for (Object[] r : rows) {
                maj.append((String) r[2 + 2 * i]);
                pur.append((Double) r[3 + 2 * i]);
            }
            t.addColumns(maj, pur);
        }
        return t;
    }

    private List<String> summaryColumns() {
        List<String> names = new ArrayList<>(List.of("cluster", "size"));
        for (String a : attributeNames) {
            names.add(a + "_majority");
            names.add(a + "_purity");
        }
        return names;
    }

    private List<Object[]> summaryRows() {
        List<Object[]> rows = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            Object[] r = new Object[2 + 2 * attributeNames.size()];
            r[0] = c;
            r[1] = sizes[c];
            for (int i = 0; i < attributeNames.size(); i++) {
                r[2 + 2 * i] = majority(c, attributeNames.get(i)).orElse("");
                r[3 + 2 * i] = purity(c, attributeNames.get(i));
            }
            rows.add(r);
        }
        return rows;
    }

    /**
     * Writes {@link #table()} as CSV (composition.csv), atomically, without building the Tablesaw
     * table (whose first use scans the class path, most of a second of a short {@code paris cluster}).
     * The text is that of Tablesaw's CSV writer on {@link #table()} for values without surrounding spaces or quotes;
     * values are written as they are, quoted per RFC 4180 where needed, where Tablesaw's writer trims
     * surrounding spaces and leaves a quote inside a value bare.
     */
    public void writeTableCsv(Path file) {
        writeRows(TABLE_COLUMNS, tableRows(), file);
    }

    /** Writes {@link #summary()} as CSV (clusters.csv), atomically, as {@link #writeTableCsv} does. */
    public void writeSummaryCsv(Path file) {
        writeRows(summaryColumns(), summaryRows(), file);
    }

    private static void writeRows(List<String> header, List<Object[]> rows, Path file) {
        AtomicFiles.write(file, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.write(String.join(",", header.stream().map(ClusterComposition::csvField).toList()));
            w.write('\n');
            for (Object[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    if (i > 0) {
                        w.write(',');
                    }
                    Object v = r[i];
                    // Tablesaw writes a missing double (NaN) as an empty field
                    w.write(v instanceof Double d && d.isNaN() ? "" : csvField(String.valueOf(v)));
                }
                w.write('\n');
            }
            w.flush();
        });
    }

    /** RFC 4180 quoting, where a field needs it (a comma, a quote or a line break). */
    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /**
     * Stacked bars: one bar per cluster, stacked by the values of {@code attribute} (the most
     * common {@value #CHART_VALUES} values, the rest as "other"); with no attribute, plain sizes.
     */
    public CategoryChart chart(String attribute) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(520)
                .title(attribute == null ? "cluster sizes" : "cluster composition by " + attribute)
                .xAxisTitle("cluster").yAxisTitle("samples").build();
        chart.getStyler().setStacked(true);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        List<String> x = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            x.add(String.valueOf(c));
        }
        if (attribute == null) {
            List<Long> y = new ArrayList<>();
            for (long s : sizes) {
                y.add(s);
            }
            chart.addSeries("samples", x, y);
            return chart;
        }
        TreeMap<String, Long> all = new TreeMap<>();
        for (TreeMap<String, Long> m : perCluster(attribute)) {
            m.forEach((v, n) -> all.merge(v, n, Long::sum));
        }
        List<String> values = all.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(CHART_VALUES).map(Map.Entry::getKey).sorted().toList();
        long[] other = sizes.clone();
        for (String v : values) {
            List<Long> y = new ArrayList<>();
            for (int c = 0; c < k; c++) {
                long n = perCluster(attribute).get(c).getOrDefault(v, 0L);
                y.add(n);
                other[c] -= n;
            }
            org.knowm.xchart.CategorySeries series = chart.addSeries(v, x, y);
            java.awt.Color named = NAMED_COLORS.get(v);
            if (named != null) {
                series.setFillColor(named); // a bar of "red" samples is red: the figure reads without the legend
            }
        }
        if (all.size() > values.size()) {
            List<Long> y = new ArrayList<>();
            for (long o : other) {
                y.add(o);
            }
            chart.addSeries("other", x, y);
        }
        return chart;
    }

    /**
     * Starts, on a daemon thread, what the first chart and the first PNG of a fresh JVM pay once: AWT's
     * fonts and renderer, XChart's classes and ImageIO's PNG writer, by drawing a small composition chart
     * and encoding it to PNG in memory (nothing is written). {@code paris cluster} calls it while it reads
     * the data, on one core, so that the composition chart and the cluster grids at its end find them
     * ready (they took 0.3-0.45 s and 0.18 s cold on Fashion-MNIST). A failure here changes nothing: the
     * real chart then meets it and reports it.
     */
    public static void warmUpChartsInBackground() {
        Thread t = new Thread(() -> {
            try {
                ClusterComposition c = empty(2, List.of("label"));
                c.add(0, Map.of("label", "a"));
                c.add(1, Map.of("label", "b"));
                BitmapEncoder.getBitmapBytes(c.chart("label"), BitmapEncoder.BitmapFormat.PNG);
            } catch (Throwable e) { // NOPMD: a warm-up; the real chart reports any fault
                LOG.debug("Chart warm-up failed (the composition chart will report it): {}", e.toString());
            }
        }, "paris-chart-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** Renders {@link #chart} as a PNG (headless), atomically. */
    public void writeChartPng(Path file, String attribute) {
        try {
            AtomicFiles.writeBytes(file, BitmapEncoder.getBitmapBytes(chart(attribute), BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot render the composition chart to " + file, e);
        }
    }
}
