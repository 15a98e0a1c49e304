/** Files written atomically and JSON for configs, manifests and results. */
package org.parisjava.io;
