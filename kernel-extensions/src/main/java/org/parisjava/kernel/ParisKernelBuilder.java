package org.parisjava.kernel;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import org.dflib.jjava.jupyter.kernel.BaseKernelBuilder;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * Builds a {@link ParisKernel}. The cells' classpath defaults to this JVM's {@code java.class.path}
 * (what the kernelspec's {@code -cp} gave), so paris-lib and the libraries it brings compile in cells.
 */
public final class ParisKernelBuilder extends BaseKernelBuilder<ParisKernelBuilder, ParisKernel> {
    private String classpath = System.getProperty("java.class.path", "");
    private MavenSettings mavenSettings;

    ParisKernelBuilder() {
    }

    /** The classpath cells compile against (default: this JVM's {@code java.class.path}). */
    public ParisKernelBuilder classpath(String classpath) {
        this.classpath = classpath == null ? "" : classpath;
        return this;
    }

    /** Where {@code %maven} resolves to and from (default: the user's Maven settings, see {@link MavenSettings}). */
    ParisKernelBuilder mavenSettings(MavenSettings settings) {
        this.mavenSettings = settings;
        return this;
    }

    /** Read when {@code %maven} first runs, so that a broken settings.xml fails that cell, not the kernel's start. */
    Supplier<MavenSettings> mavenSettings() {
        MavenSettings set = mavenSettings;
        return set != null ? () -> set : MavenSettings::ofUser;
    }

    String classpath() {
        return classpath;
    }

    String kernelName() {
        return name != null ? name : "Paris (Java)";
    }

    String kernelVersion() {
        return version != null ? version : "0.1.0";
    }

    boolean extensions() {
        return buildExtensionsEnabled();
    }

    @Override
    public ParisKernel build() {
        // Plain, uncoloured tracebacks: they read the same in a browser, in nbconvert output and in tests.
        StringStyler plain = new StringStyler.Builder().build();
        return new ParisKernel(this, buildJupyterIO(StandardCharsets.UTF_8), buildRenderer(), plain);
    }
}
