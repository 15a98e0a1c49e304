package org.parisjava.reproduce;

import java.nio.file.Path;
import java.util.List;
import org.parisjava.run.ProgressListener;
import org.parisjava.run.RunLayout;

/**
 * One stage of a reproduction. A stage reads only files earlier stages left in the run folder and
 * writes only its own outputs there, so each stage can run in its own process (or on its own
 * machine) given the folder, and a finished stage is recognised from its outputs alone.
 *
 * <p>Before the first stage of a reproduction starts, every stage {@linkplain #validate validates}
 * the whole configuration: a run that this stage could not finish is refused at once, with the
 * reason, instead of after hours of training in the stages before it.
 */
public interface PipelineStage {

    /** Which stage this is. */
    Reproduction.Stage id();

    /** The files and folders of the run this stage reads (written by earlier stages). */
    List<Path> inputs(RunLayout run, Reproduction.Options o);

    /** The files and folders of the run this stage writes. */
    List<Path> outputs(RunLayout run, Reproduction.Options o);

    /**
     * Refuses a configuration this stage could not finish, with the reason. Called for every stage
     * before any stage runs; a stage whose outputs are already complete has nothing to check.
     *
     * @throws IllegalArgumentException naming what is wrong and why this stage needs it
     */
    default void validate(RunLayout run, Reproduction.Options o) {
    }

    /** Whether this stage's outputs are complete in {@code run}. */
    boolean isDone(RunLayout run, Reproduction.Options o);

    /** Runs (or resumes) the stage: reads its inputs, writes its outputs. */
    void run(RunLayout run, Reproduction.Options o, ProgressListener listener);

    /**
     * Runs the stage again although its outputs may be complete (a re-evaluation): by default the same
     * as {@link #run}; a stage that resumes part of its work from existing outputs redoes all of it.
     */
    default void redo(RunLayout run, Reproduction.Options o, ProgressListener listener) {
        run(run, o, listener);
    }
}
