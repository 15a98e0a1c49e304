package org.parisjava.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The library's packages depend one way only (docs/design.md, section 6), checked on
 * the compiled classes with ArchUnit:
 *
 * <pre>
 *   io -> run -> data -> features -> cluster -> (text | flow | model | latent) -> train -> infer
 *      -> eval -> viz -> report -> reproduce
 * </pre>
 *
 * A package may use any package to its left and none to its right; the four packages in
 * parentheses are siblings and use none of each other. The CLI and the kernel extension sit on
 * top, in their own modules, which Maven already keeps out of this one.
 */
class LayeringTest {
    /** Bottom to top; a row's packages are siblings. */
    static final List<List<String>> LAYERS = List.of(
            List.of("io"),
            List.of("run"),
            List.of("data", "vision"),
            List.of("features"),
            List.of("cluster"),
            List.of("text", "flow", "model", "latent"),
            List.of("train"),
            List.of("infer"),
            List.of("eval"),
            List.of("viz"),
            List.of("report"),
            List.of("reproduce"));

    static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.parisjava");
    }

    @Test
    void everyPackageDependsOnlyOnPackagesBelowIt() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (List<String> row : LAYERS) {
            for (String p : row) {
                rule = rule.layer(p).definedBy("org.parisjava." + p + "..");
            }
        }
        for (int i = 0; i < LAYERS.size(); i++) {
            List<String> above = new ArrayList<>();
            for (int j = i + 1; j < LAYERS.size(); j++) {
                above.addAll(LAYERS.get(j));
            }
            for (String p : LAYERS.get(i)) {
                rule = above.isEmpty() ? rule.whereLayer(p).mayNotBeAccessedByAnyLayer()
                        : rule.whereLayer(p).mayOnlyBeAccessedByLayers(above.toArray(String[]::new));
            }
        }
        rule.check(classes);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("org.parisjava.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void everyLibraryPackageHasAPlaceInTheLayers() {
        List<String> placed = LAYERS.stream().flatMap(List::stream).toList();
        List<String> unplaced = classes.stream()
                .map(c -> c.getPackageName().replaceFirst("^org\\.parisjava\\.?", "").replaceFirst("\\..*", ""))
                .distinct().filter(p -> !placed.contains(p)).sorted().toList();
        org.junit.jupiter.api.Assertions.assertEquals(List.of(), unplaced, "packages missing from LAYERS");
    }
}
