/**
 * File formats that several stages read and write: files written atomically, JSON for configs,
 * manifests and results, and the safetensors tensor format (the one Python's {@code safetensors}
 * and Hugging Face model folders use), and Hugging Face model folders themselves
 * ({@link org.parisjava.io.HfModelFolder}: config.json plus sharded or single safetensors weights).
 * Also what keeps files trustworthy when several processes share a run folder: SHA-256 checksums
 * ({@link org.parisjava.io.Sha256}) and one writer per folder ({@link org.parisjava.io.WriterLock}).
 */
package org.parisjava.io;
