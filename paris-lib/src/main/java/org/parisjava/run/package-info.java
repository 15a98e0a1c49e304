/** What a run is: its folder layout, its presets, the device it computes on, and the progress it reports to listeners. */
package org.parisjava.run;
