package org.parisjava.kernel;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Paris notebook extension: renderers for XChart charts, Tablesaw tables, Paris image grids and images (see
 * {@link NotebookRenderers}), and default imports of the Paris, XChart and Tablesaw packages.
 * Progress bars come from {@link NotebookProgress}.
 *
 * <p>Found through {@code META-INF/services/org.dflib.jjava.jupyter.Extension} by any kernel built
 * on JJava's {@link BaseKernel}; it uses only that public API, so it also loads into a stock JJava
 * kernel (put the jar and its dependencies on {@code JJAVA_CLASSPATH}).
 *
 * <p>Installs once per kernel: renderer registrations cannot be removed, so a second install (a
 * second ServiceLoader pass, or a restart of the same kernel object) must not add a second set.
 */
public final class ParisExtension implements Extension {
    private static final Logger LOG = LoggerFactory.getLogger(ParisExtension.class);

    /** Kernels (by their renderer) that already got the renderers. */
    private static final Set<Renderer> INSTALLED = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    /** Packages imported into every session when they exist on the classpath. */
    static final List<String> DEFAULT_IMPORT_PACKAGES = List.of(
            "org.parisjava.data", "org.parisjava.run", "org.parisjava.io", "org.parisjava.features",
            "org.parisjava.cluster", "org.parisjava.text", "org.parisjava.latent", "org.parisjava.model",
            "org.parisjava.flow", "org.parisjava.train", "org.parisjava.infer", "org.parisjava.eval",
            "org.parisjava.viz", "org.parisjava.report", "org.parisjava.reproduce", "org.parisjava.kernel",
            "org.knowm.xchart", "org.knowm.xchart.style", "tech.tablesaw.api", "java.awt.image");

    @Override
    public void install(BaseKernel kernel) {
        if (!INSTALLED.add(kernel.getRenderer())) {
            LOG.debug("ParisExtension already installed in this kernel");
            return;
        }
        NotebookRenderers.registerAll(kernel.getRenderer());
        String imports = defaultImports();
        try {
            kernel.evalRaw(imports);
        } catch (RuntimeException e) {
            // A missing import must not stop the kernel: cells can still import what they need.
            LOG.warn("default imports failed: {}", e.getMessage());
        }
    }

    /** Whether this extension's renderers are in the given kernel. */
    public static boolean isInstalled(BaseKernel kernel) {
        return INSTALLED.contains(kernel.getRenderer());
    }

    /** The import statements added to a session: one per package of the list that exists here. */
    public static String defaultImports() {
        StringBuilder sb = new StringBuilder();
        ClassLoader loader = ParisExtension.class.getClassLoader();
        for (String pkg : DEFAULT_IMPORT_PACKAGES) {
            if (loader.getResource(pkg.replace('.', '/') + "/") != null
                    || loader.getResource(pkg.replace('.', '/') + "/package-info.class") != null
                    || pkg.startsWith("java.")) {
                sb.append("import ").append(pkg).append(".*;\n");
            }
        }
        return sb.toString();
    }
}
