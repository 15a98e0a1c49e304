/**
 * Frozen text encoders shared by all experts: {@link org.parisjava.text.HashedTokenEncoder} (the
 * default, deterministic, no weights) and {@link org.parisjava.text.ClipTextEncoder} (a TorchScript
 * text model plus a Hugging Face tokenizer.json, when a user provides them).
 */
package org.parisjava.text;
