/**
 * File formats that several stages read and write: files written atomically, JSON for configs,
 * manifests and results, and the safetensors tensor format (the one Python's {@code safetensors}
 * and Hugging Face model folders use), and Hugging Face model folders themselves
 * ({@link org.parisjava.io.HfModelFolder}: config.json plus sharded or single safetensors weights).
 */
package org.parisjava.io;
