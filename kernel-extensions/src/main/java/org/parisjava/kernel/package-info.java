/**
 * The Paris Java Jupyter kernel and its notebook extension.
 *
 * <p>{@link org.parisjava.kernel.ParisKernel} runs cells in a JShell whose execution engine lives in
 * the kernel's own JVM, so values keep their identity and renderers registered by
 * {@link org.parisjava.kernel.ParisExtension} apply to them. The extension depends only on JJava's
 * public kernel API, so the same jar also loads into a stock JJava kernel. {@link
 * org.parisjava.kernel.KernelInstaller} writes the {@code paris-java} kernelspec.
 *
 * <p>Magics, as IJava users know them: {@code %classpath} and {@code %jars} (LineMagics),
 * {@code %maven} and {@code %%loadFromPOM} (MavenMagic, resolving with Apache Maven Resolver through
 * MavenResolver), {@code %time} and {@code %%time} (CellTimer), {@code %load} (LoadMagic).
 */
package org.parisjava.kernel;
