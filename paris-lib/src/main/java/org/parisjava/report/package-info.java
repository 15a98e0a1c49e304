/** The published numbers this project compares against, and the results tables a run writes. */
package org.parisjava.report;
