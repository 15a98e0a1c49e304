package org.parisjava.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;

import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.internal.chartpart.Chart;
import tech.tablesaw.api.Table;

/** The extension installs exactly once per kernel, however often it is offered. */
class ParisExtensionLifecycleTest {

    @Test
    void installsOncePerKernel() throws Exception {
        ParisKernel kernel = ParisKernel.builder().build();
        assertFalse(ParisExtension.isInstalled(kernel));
        kernel.onStartup(); // ServiceLoader pass 1 finds ParisExtension through META-INF/services
        try {
            assertTrue(ParisExtension.isInstalled(kernel));
            assertEquals(1, registrations(kernel.getRenderer(), Chart.class));
            assertEquals(1, registrations(kernel.getRenderer(), Table.class));

            kernel.installExtensionsFromCells(); // pass 2, through JShell's class loader
            new ParisExtension().install(kernel); // a fresh instance offered directly
            new ParisExtension().install(kernel);
            assertEquals(1, registrations(kernel.getRenderer(), Chart.class));
            assertEquals(1, registrations(kernel.getRenderer(), Table.class));
            // BufferedImage: JJava's own RenderedImage renderer is elsewhere; ours is the only exact one
            assertEquals(1, registrations(kernel.getRenderer(), BufferedImage.class));
            assertTrue(kernel.evalRaw("XYChart.class") != null, "default imports are in the session");
        } finally {
            kernel.onShutdown(false);
        }

        ParisKernel second = ParisKernel.builder().build();
        second.onStartup();
        try {
            assertEquals(1, registrations(second.getRenderer(), Chart.class), "a new kernel gets its own set");
        } finally {
            second.onShutdown(false);
        }
    }

    @SuppressWarnings("unchecked")
    private static int registrations(Renderer renderer, Class<?> type) throws Exception {
        // Renderer keeps its functions private; counting them is the only direct proof of "once".
        Field f = Renderer.class.getDeclaredField("renderFunctions");
        f.setAccessible(true);
        List<?> list = ((Map<Class<?>, List<?>>) f.get(renderer)).get(type);
        return list == null ? 0 : list.size();
    }
}
