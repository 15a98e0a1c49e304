/**
 * Pictures of runs for people: image grids (samples, clusters, strategies side by side), XChart
 * figures and Tablesaw tables. Everything renders headless and writes files atomically.
 */
package org.parisjava.viz;
