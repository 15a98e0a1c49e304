/**
 * File formats that several stages read and write: files written atomically, JSON for configs,
 * manifests and results, and the safetensors tensor format (the one Python's {@code safetensors}
 * and Hugging Face model folders use).
 */
package org.parisjava.io;
