/**
 * Frozen text encoders shared by all experts: {@link org.parisjava.text.HashedTokenEncoder} (the
 * default, deterministic, no weights), {@link org.parisjava.text.HfClipTextEncoder} (CLIP's text
 * tower read straight from a Hugging Face folder: {@link org.parisjava.text.ClipTokenizer} and
 * {@link org.parisjava.text.ClipTextModel}, no Python) and {@link org.parisjava.text.ClipTextEncoder}
 * (a TorchScript text model plus a Hugging Face tokenizer.json, when a user exported one).
 * {@link org.parisjava.text.TextEncoders} maps a run's {@code --text} option to one of them.
 * {@link org.parisjava.text.ClipTextProjection} adds CLIP's {@code text_projection} to the text tower,
 * giving caption embeddings in the space CLIP's image embeddings share (for the CLIP score).
 */
package org.parisjava.text;
