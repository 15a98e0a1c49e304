/**
 * The released Paris model (bageldotcom/paris on Hugging Face, arXiv 2510.03434): reading its folder
 * (model_index.json, config.json, expert_{i}/, router/, vae/, text_encoder/, tokenizer/) onto the
 * project's one DiT and Router through one name-mapping table ({@link org.parisjava.infer.released.ReleasedNames}),
 * loading experts lazily, and generating images with any routing strategy.
 */
package org.parisjava.infer.released;
