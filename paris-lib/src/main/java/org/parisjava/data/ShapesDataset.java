package org.parisjava.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The embedded default dataset: coloured shapes on coloured backgrounds, generated, captioned
 * from their attributes ("a small red triangle at the top left on a blue background").
 *
 * <p>Its structure is known, which is what makes it useful here: clustering can be scored against
 * the attributes, and a sampler's prompt adherence can be checked by classifiers over them.
 *
 * <p>Deterministic by seed: sample {@code i} depends only on (seed, i), never on the order or the
 * thread that asks for it, so {@code stream().parallel()} and {@link #sample(int)} agree. Shapes are
 * drawn at {@value #SUPERSAMPLE}x the target size and box-averaged down, so edges are anti-aliased
 * and a 16x16 star still looks like a star.
 */
public final class ShapesDataset implements ImageCaptionDataset {

    public static final List<String> SHAPES = List.of("circle", "square", "triangle", "star", "cross", "diamond");
    public static final List<String> COLORS = List.of("red", "green", "blue", "yellow", "purple", "orange", "white");
    public static final List<String> SIZES = List.of("small", "medium", "large");
    public static final List<String> POSITIONS = List.of("center", "top left", "top right", "bottom left", "bottom right");
    public static final List<String> BACKGROUNDS = List.of("black", "white", "gray", "blue", "green");
    /** Attribute keys every sample carries, in this order. */
    public static final List<String> ATTRIBUTES = List.of("shape", "color", "size", "position", "background");

    public static final int MIN_IMAGE_SIZE = 16;
    public static final int DEFAULT_COUNT = 10_000;
    static final int SUPERSAMPLE = 4;

    private static final Map<String, Color> PALETTE = Map.ofEntries(
            Map.entry("red", new Color(220, 40, 40)), Map.entry("green", new Color(40, 170, 60)),
            Map.entry("blue", new Color(40, 80, 220)), Map.entry("yellow", new Color(240, 220, 40)),
            Map.entry("purple", new Color(150, 60, 190)), Map.entry("orange", new Color(245, 140, 30)),
            Map.entry("white", new Color(240, 240, 240)), Map.entry("black", new Color(20, 20, 20)),
            Map.entry("gray", new Color(128, 128, 128)));
    /** Half-extent of the shape as a fraction of the image side, per size word. */
    private static final double[] SIZE_FRACTION = {0.19, 0.26, 0.34};
    /** Below this RGB distance a shape would be hard to see on its background: pick another. */
    private static final double MIN_CONTRAST = 120;
    private static final double MARGIN = 0.05;
    private static final double JITTER = 0.03;

    /**
     * Where and how sample {@code i} is drawn, in output pixels (not supersampled).
     *
     * @param centerX    x of the shape's centre, in [0, size)
     * @param centerY    y of the shape's centre
     * @param halfExtent radius of the circle that bounds the shape
     */
    public record Layout(String shape, String color, String size, String position, String background,
                         double centerX, double centerY, double halfExtent) {
        public Map<String, String> attributes() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("shape", shape);
            m.put("color", color);
            m.put("size", size);
            m.put("position", position);
            m.put("background", background);
            return m;
        }

        /** "a small red triangle at the top left on a blue background". */
        public String caption() {
            String where = position.equals("center") ? "in the center" : "at the " + position;
            return "a " + size + " " + color + " " + shape + " " + where + " on a " + background + " background";
        }
    }

    private final int count;
    private final int imageSize;
    private final int channels;
    private final long seed;

    public ShapesDataset(int count, int imageSize, long seed) {
        this(count, imageSize, 3, seed);
    }

    public ShapesDataset(int count, int imageSize, int channels, long seed) {
        if (count <= 0) {
            throw new IllegalArgumentException("Invalid shapes count: " + count + " (expected > 0)");
        }
        if (imageSize < MIN_IMAGE_SIZE) {
            throw new IllegalArgumentException("Invalid shapes image size: " + imageSize
                    + " (expected >= " + MIN_IMAGE_SIZE + ": smaller shapes are not recognizable)");
        }
        if (!new ImageSpec(channels, imageSize, imageSize).isPixels()) {
            throw new IllegalArgumentException("Invalid number of channels: " + channels + " (expected 1 or 3)");
        }
        this.count = count;
        this.imageSize = imageSize;
        this.channels = channels;
        this.seed = seed;
    }

    /** The values an attribute takes, e.g. {@code vocabulary("color")} is {@link #COLORS}. */
    public static List<String> vocabulary(String attribute) {
        return switch (attribute) {
            case "shape" -> SHAPES;
            case "color" -> COLORS;
            case "size" -> SIZES;
            case "position" -> POSITIONS;
            case "background" -> BACKGROUNDS;
            default -> throw new IllegalArgumentException("Unknown shapes attribute '" + attribute
                    + "' (known: " + ATTRIBUTES + ")");
        };
    }

    /** Every attribute with its vocabulary, in {@link #ATTRIBUTES} order. */
    public static Map<String, List<String>> vocabularies() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (String a : ATTRIBUTES) {
            m.put(a, vocabulary(a));
        }
        return m;
    }

    public int count() {
        return count;
    }

    public long seed() {
        return seed;
    }

    @Override
    public String name() {
        return "shapes-" + imageSize;
    }

    @Override
    public ImageSpec spec() {
        return new ImageSpec(channels, imageSize, imageSize);
    }

    @Override
    public OptionalLong size() {
        return OptionalLong.of(count);
    }

    @Override
    public List<String> attributeNames() {
        return ATTRIBUTES;
    }

    @Override
    public Stream<Sample> stream() {
        return IntStream.range(0, count).mapToObj(this::sample);
    }

    /** Sample {@code index}, the same whichever thread asks and in whatever order. */
    public Sample sample(int index) {
        Layout layout = layout(index);
        return new Sample(Integer.toString(index), render(layout), layout.caption(), layout.attributes());
    }

    /** The attributes and geometry of sample {@code index}, without drawing it. */
    public Layout layout(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("Shapes sample " + index + " out of range [0, " + count + ")");
        }
        SplittableRandom rng = new SplittableRandom(mix(seed, index));
        String shape = SHAPES.get(rng.nextInt(SHAPES.size()));
        String color = COLORS.get(rng.nextInt(COLORS.size()));
        int sizeIndex = rng.nextInt(SIZES.size());
        String position = POSITIONS.get(rng.nextInt(POSITIONS.size()));
        String background = pickBackground(color, rng);
        double half = SIZE_FRACTION[sizeIndex] * imageSize;
        double near = MARGIN * imageSize + half;
        double far = imageSize - near;
        double cx = switch (position) {
            case "top left", "bottom left" -> near;
            case "top right", "bottom right" -> far;
            default -> imageSize / 2.0;
        };
        double cy = switch (position) {
            case "top left", "top right" -> near;
            case "bottom left", "bottom right" -> far;
            default -> imageSize / 2.0;
        };
        cx += (rng.nextDouble() * 2 - 1) * JITTER * imageSize;
        cy += (rng.nextDouble() * 2 - 1) * JITTER * imageSize;
        return new Layout(shape, color, SIZES.get(sizeIndex), position, background, cx, cy, half);
    }

    private static String pickBackground(String color, SplittableRandom rng) {
        // Rejection sampling: never the shape's own colour, never too close to it. Every shape
        // colour has at least one background far enough (black), so this ends.
        Color fg = PALETTE.get(color);
        while (true) {
            String bg = BACKGROUNDS.get(rng.nextInt(BACKGROUNDS.size()));
            if (!bg.equals(color) && distance(fg, PALETTE.get(bg)) >= MIN_CONTRAST) {
                return bg;
            }
        }
    }

    private static double distance(Color a, Color b) {
        int dr = a.getRed() - b.getRed();
        int dg = a.getGreen() - b.getGreen();
        int db = a.getBlue() - b.getBlue();
        return Math.sqrt(dr * dr + dg * dg + db * db);
    }

    /** SplitMix64 finalizer over (seed, index): nearby indices get unrelated streams. */
    private static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private ImageU8 render(Layout l) {
        int big = imageSize * SUPERSAMPLE;
        BufferedImage canvas = new BufferedImage(big, big, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        try {
            // No Java2D anti-aliasing: the box filter below does it, identically on every JVM.
            g.setColor(PALETTE.get(l.background()));
            g.fillRect(0, 0, big, big);
            g.setColor(PALETTE.get(l.color()));
            g.fill(outline(l.shape(), l.centerX() * SUPERSAMPLE, l.centerY() * SUPERSAMPLE,
                    l.halfExtent() * SUPERSAMPLE));
        } finally {
            g.dispose();
        }
        return downsample(((DataBufferInt) canvas.getRaster().getDataBuffer()).getData(), big);
    }

    static Shape outline(String shape, double cx, double cy, double r) {
        return switch (shape) {
            case "circle" -> new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
            case "square" -> {
                double s = 0.85 * r;
                yield new Rectangle2D.Double(cx - s, cy - s, 2 * s, 2 * s);
            }
            case "triangle" -> polygon(cx, cy + 0.15 * r, new double[]{r * 1.1}, 3);
            case "star" -> polygon(cx, cy + 0.05 * r, new double[]{r, 0.45 * r}, 10);
            case "cross" -> {
                double w = 0.32 * r;
                Path2D.Double p = new Path2D.Double();
                p.append(new Rectangle2D.Double(cx - r, cy - w, 2 * r, 2 * w), false);
                p.append(new Rectangle2D.Double(cx - w, cy - r, 2 * w, 2 * r), false);
                p.setWindingRule(Path2D.WIND_NON_ZERO);
                yield p;
            }
            case "diamond" -> {
                Path2D.Double p = new Path2D.Double();
                p.moveTo(cx, cy - r);
                p.lineTo(cx + 0.7 * r, cy);
                p.lineTo(cx, cy + r);
                p.lineTo(cx - 0.7 * r, cy);
                p.closePath();
                yield p;
            }
            default -> throw new IllegalArgumentException("Unknown shape '" + shape + "' (known: " + SHAPES + ")");
        };
    }

    /** A regular polygon (one radius) or star (alternating radii), first vertex pointing up. */
    private static Path2D polygon(double cx, double cy, double[] radii, int vertices) {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < vertices; i++) {
            double angle = -Math.PI / 2 + 2 * Math.PI * i / vertices;
            double rad = radii[i % radii.length];
            double x = cx + rad * Math.cos(angle);
            double y = cy + rad * Math.sin(angle);
            if (i == 0) {
                p.moveTo(x, y);
            } else {
                p.lineTo(x, y);
            }
        }
        p.closePath();
        return p;
    }

    /** Box-averages SUPERSAMPLE x SUPERSAMPLE blocks of packed RGB into a (C, H, W) image. */
    private ImageU8 downsample(int[] rgb, int big) {
        int n = imageSize;
        int area = SUPERSAMPLE * SUPERSAMPLE;
        byte[] chw = new byte[channels * n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int r = 0;
                int gr = 0;
                int b = 0;
                for (int dy = 0; dy < SUPERSAMPLE; dy++) {
                    int row = (y * SUPERSAMPLE + dy) * big + x * SUPERSAMPLE;
                    for (int dx = 0; dx < SUPERSAMPLE; dx++) {
                        int p = rgb[row + dx];
                        r += (p >> 16) & 0xFF;
                        gr += (p >> 8) & 0xFF;
                        b += p & 0xFF;
                    }
                }
                int ri = (r + area / 2) / area;
                int gi = (gr + area / 2) / area;
                int bi = (b + area / 2) / area;
                if (channels == 3) {
                    chw[y * n + x] = (byte) ri;
                    chw[(n + y) * n + x] = (byte) gi;
                    chw[(2 * n + y) * n + x] = (byte) bi;
                } else {
                    chw[y * n + x] = (byte) Math.round(0.299 * ri + 0.587 * gi + 0.114 * bi);
                }
            }
        }
        return new ImageU8(channels, n, n, chw);
    }
}
