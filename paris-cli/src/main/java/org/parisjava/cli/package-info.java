/**
 * The {@code paris} command line (picocli): {@code reproduce} runs the whole pipeline of
 * docs/design.md, section 4, resumably; {@code cluster}, {@code train-expert}, {@code train-experts},
 * {@code train-monolith}, {@code train-router}, {@code sample} and {@code evaluate} run one stage
 * each on a run folder, so a scheduler can run them as separate jobs; {@code kernel} installs the
 * Jupyter kernel. Commands parse options, call the library and decide what a person sees
 * (terminal progress, tables); the work itself is in paris-lib.
 */
package org.parisjava.cli;
