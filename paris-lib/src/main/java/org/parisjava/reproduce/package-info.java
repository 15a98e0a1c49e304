/**
 * The reproduction of the Paris paper (arXiv 2510.03434) on one run folder, as a list of stages
 * (docs/design.md, section 4): {@link org.parisjava.reproduce.Reproduction} runs them in order after
 * every {@link org.parisjava.reproduce.PipelineStage} has validated the configuration;
 * {@link org.parisjava.reproduce.RunManifest} keeps run.json and reproduce.json;
 * {@link org.parisjava.reproduce.Figures} draws each figure from plain values or run files; and
 * {@link org.parisjava.reproduce.ResultsSummary} says whether the run reproduces the paper's ordering
 * of the inference strategies. The top layer of the library: it may use every other package.
 */
package org.parisjava.reproduce;
