package org.parisjava.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the samples a dataset skipped under {@link ErrorPolicy#SKIP}. The caller passes one in
 * (through {@link DatasetOptions#skipStats()}) and reads it after streaming, so a run can record
 * how much of its data it actually saw. Thread-safe.
 *
 * <p>Samples are counted once each, by (file, sample id): a caller that streams a dataset twice
 * (fit, then assign) still sees how many distinct samples were left out. Each is logged once at
 * warn, up to {@link #WARN_LIMIT}; after that only at debug, so a badly damaged shard cannot
 * flood the log.
 */
public final class SkipStats {
    /** How many skips are logged at warn before the rest go to debug. */
    public static final int WARN_LIMIT = 20;
    /** How many skipped samples are remembered for {@link #examples()}. */
    public static final int EXAMPLE_LIMIT = 100;

    private static final Logger LOG = LoggerFactory.getLogger(SkipStats.class);

    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicLong skipped = new AtomicLong();
    private final List<String> examples = new ArrayList<>();

    /** Counts one skipped sample and logs why; a sample already recorded is not counted again. */
    public void record(CorruptSampleException problem) {
        if (!seen.add(problem.file() + "\u0000" + problem.sampleId())) {
            return;
        }
        long n = skipped.incrementAndGet();
        if (n <= WARN_LIMIT) {
            LOG.warn("Skipping sample ({} skipped so far): {}", n, problem.getMessage());
            if (n == WARN_LIMIT) {
                LOG.warn("Further skipped samples are logged at debug level only");
            }
        } else {
            LOG.debug("Skipping sample ({} skipped so far): {}", n, problem.getMessage());
        }
        synchronized (examples) {
            if (examples.size() < EXAMPLE_LIMIT) {
                examples.add(problem.getMessage());
            }
        }
    }

    /** Number of distinct samples skipped so far. */
    public long skipped() {
        return skipped.get();
    }

    /** The messages of the first {@link #EXAMPLE_LIMIT} skipped samples, in order. */
    public List<String> examples() {
        synchronized (examples) {
            return List.copyOf(examples);
        }
    }

    @Override
    public String toString() {
        return "SkipStats[skipped=" + skipped() + "]";
    }
}
