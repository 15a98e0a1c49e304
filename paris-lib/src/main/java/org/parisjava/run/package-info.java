/** What a run is: its folder layout, its presets, and the progress it reports to listeners. */
package org.parisjava.run;
