package org.parisjava.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernel through real Jupyter (jupyter_client driven by {@code kernel_probe.py}), on this JDK
 * and on a newer one when installed: rich results, streams, readable compile and runtime errors,
 * charts, progress displays, completion, is_complete, interrupt of a busy loop, {@code %classpath}
 * with a jar built here, and {@code %%time} printing into the cell's stdout after the cell's output.
 */
class JupyterKernelTest {

    static Stream<String> jdks() {
        return Stream.of("current", "newer");
    }

    @ParameterizedTest(name = "JDK {0}")
    @MethodSource("jdks")
    void kernelFeaturesThroughJupyter(String which, @TempDir Path tmp) throws Exception {
        JupyterFixture.assumeJupyter();
        Optional<Path> java = which.equals("current") ? Optional.of(JupyterFixture.currentJava()) : JupyterFixture.newerJava();
        assumeTrue(java.isPresent(), "no JDK 22+ installed under /usr/lib/jvm (or PARIS_TEST_NEW_JAVA)");
        JupyterFixture jupyter = JupyterFixture.install(tmp, java.get());
        Path jar = greeterJar(tmp);

        JupyterFixture.Result r = jupyter.run(List.of(JupyterFixture.PYTHON.toString(), probeScript().toString(),
                "features", jar.toString()), 300);
        JsonObject out = probeJson(r);

        JsonObject rich = out.getAsJsonObject("rich");
        assertEquals("ok", rich.get("status").getAsString());
        assertEquals("2", output(rich, "execute_result").getAsJsonObject("data").get("text/plain").getAsString());

        assertEquals(String.valueOf(KernelInstaller.javaMajorVersion(java.get())),
                output(out.getAsJsonObject("java_version"), "execute_result").getAsJsonObject("data")
                        .get("text/plain").getAsString(), "the kernel runs on the JDK it was installed for");

        JsonObject streams = out.getAsJsonObject("streams");
        String stdout = streamText(streams, "stdout");
        String stderr = streamText(streams, "stderr");
        assertTrue(stdout.contains("hello out"), stdout);
        assertTrue(stderr.contains("hello err"), stderr);

        String compile = traceback(out.getAsJsonObject("compile_error"));
        assertTrue(compile.contains("cell line 2, column 12") && compile.contains("String s = 42;"), compile);
        assertEquals("error", out.getAsJsonObject("compile_error").get("status").getAsString());

        String runtime = traceback(out.getAsJsonObject("runtime_error"));
        assertTrue(runtime.contains("java.lang.IllegalStateException: boom"), runtime);
        assertTrue(runtime.contains("boom (cell line 2)") && runtime.contains("<cell> (cell line 4)"), runtime);
        assertFalse(runtime.contains("jdk.jshell") || runtime.contains("jdk.internal"), runtime);

        JsonObject chart = output(out.getAsJsonObject("chart"), "execute_result").getAsJsonObject("data");
        assertTrue(chart.has("image/png") && chart.get("image/png").getAsString().length() > 100, chart.keySet().toString());

        JsonObject progress = out.getAsJsonObject("progress");
        JsonObject first = output(progress, "display_data");
        String id = first.getAsJsonObject("transient").get("display_id").getAsString();
        JsonObject last = null;
        for (JsonElement e : progress.getAsJsonArray("outputs")) {
            JsonObject o = e.getAsJsonObject();
            if (o.get("type").getAsString().equals("update_display_data")) {
                assertEquals(id, o.getAsJsonObject("content").getAsJsonObject("transient").get("display_id").getAsString());
                last = o.getAsJsonObject("content");
            }
        }
        assertTrue(last != null && last.getAsJsonObject("data").get("text/plain").getAsString().contains("5/5"),
                "the last update shows the finished bar: " + progress);

        JsonObject complete = out.getAsJsonObject("complete");
        assertTrue(complete.get("matches").toString().contains("toUpperCase"), complete.toString());
        assertEquals(out.get("complete_code_length").getAsInt() - "toUpp".length(), complete.get("cursor_start").getAsInt());
        assertEquals("incomplete", out.getAsJsonObject("is_complete_open").get("status").getAsString());
        assertEquals("complete", out.getAsJsonObject("is_complete_done").get("status").getAsString());

        JsonObject interrupt = out.getAsJsonObject("interrupt");
        assertEquals("error", interrupt.get("status").getAsString(), interrupt.toString());
        assertTrue(interrupt.get("seconds").getAsDouble() < 30, interrupt.toString());
        assertTrue(traceback(interrupt).contains("interrupted"), interrupt.toString());
        assertEquals("42", output(out.getAsJsonObject("after_interrupt"), "execute_result")
                .getAsJsonObject("data").get("text/plain").getAsString());

        JsonObject classpath = out.getAsJsonObject("classpath");
        assertEquals("ok", classpath.get("status").getAsString(), classpath.toString());
        assertEquals("hi from jar", output(classpath, "execute_result").getAsJsonObject("data")
                .get("text/plain").getAsString());

        JsonObject timed = out.getAsJsonObject("time");
        String timedOut = streamText(timed, "stdout");
        assertTrue(timedOut.matches("(?s)timed\\s+CPU time: .+\\s+Wall time: .+"), "the times follow the cell's output: " + timedOut);
        assertEquals("42", output(timed, "execute_result").getAsJsonObject("data").get("text/plain").getAsString());
        assertTrue(traceback(out.getAsJsonObject("columns")).contains("cell line 1, column 20"),
                traceback(out.getAsJsonObject("columns")));
    }

    static Path probeScript() {
        return JupyterFixture.repoRoot().resolve("kernel-extensions/src/test/python/kernel_probe.py");
    }

    /** The JSON the probe printed, or a failure that says whether the kernel failed to start. */
    static JsonObject probeJson(JupyterFixture.Result r) {
        for (String line : r.out().split("\n")) {
            if (line.startsWith("PROBE-JSON ")) {
                return JsonParser.parseString(line.substring("PROBE-JSON ".length())).getAsJsonObject();
            }
        }
        String why = r.timedOut() ? "timed out" : "exit " + r.exit();
        boolean startFailure = r.err().contains("wait_for_ready") || r.err().contains("Kernel didn't respond")
                || r.err().contains("Kernel died");
        throw new AssertionError((startFailure ? "kernel start failure (" : "probe failed (") + why + ")\nstdout:\n"
                + r.out() + "\nstderr:\n" + r.err());
    }

    private static JsonObject output(JsonObject run, String type) {
        for (JsonElement e : run.getAsJsonArray("outputs")) {
            JsonObject o = e.getAsJsonObject();
            if (o.get("type").getAsString().equals(type)) {
                return o.getAsJsonObject("content");
            }
        }
        throw new AssertionError("no " + type + " output in " + run);
    }

    private static String streamText(JsonObject run, String name) {
        StringBuilder sb = new StringBuilder();
        for (JsonElement e : run.getAsJsonArray("outputs")) {
            JsonObject o = e.getAsJsonObject();
            if (o.get("type").getAsString().equals("stream")
                    && o.getAsJsonObject("content").get("name").getAsString().equals(name)) {
                sb.append(o.getAsJsonObject("content").get("text").getAsString());
            }
        }
        return sb.toString();
    }

    private static String traceback(JsonObject run) {
        JsonArray tb = output(run, "error").getAsJsonArray("traceback");
        StringBuilder sb = new StringBuilder();
        tb.forEach(l -> sb.append(l.getAsString()).append('\n'));
        return sb.toString();
    }

    /** Compiles {@code demo.Greeter} into a jar, so that {@code %classpath} has something real to add. */
    static Path greeterJar(Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("greeter/src/demo"));
        Path classes = Files.createDirectories(dir.resolve("greeter/classes"));
        Files.writeString(src.resolve("Greeter.java"),
                "package demo; public class Greeter { public String hello() { return \"hi from jar\"; } }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "17", "-d", classes.toString(),
                src.resolve("Greeter.java").toString());
        assertEquals(0, rc, "javac of demo.Greeter");
        Path jar = dir.resolve("greeter.jar");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(os)) {
            jos.putNextEntry(new JarEntry("demo/Greeter.class"));
            jos.write(Files.readAllBytes(classes.resolve("demo/Greeter.class")));
            jos.closeEntry();
        }
        return jar;
    }
}
