/**
 * Pictures of runs for people: image grids (samples, clusters, strategies side by side) and XChart
 * figures, each built from plain values (arrays, maps, images), so any caller can draw them.
 * Everything renders headless and writes files atomically.
 */
package org.parisjava.viz;
