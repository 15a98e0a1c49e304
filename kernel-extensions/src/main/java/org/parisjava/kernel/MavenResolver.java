package org.parisjava.kernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositoryException;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.DependencyFilter;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.resolution.DependencyResult;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

/**
 * Resolves Maven dependencies with their transitive runtime dependencies (Apache Maven Resolver, the
 * library Maven itself uses), downloading into a local Maven repository. Dependencies whose
 * {@code groupId:artifactId} the caller already has are left out, with their own dependencies'
 * jars still checked one by one.
 *
 * <p>Not thread-safe; one per kernel.
 */
final class MavenResolver {
    /** Request timeout (ms) for one download: a stalled connection fails instead of hanging a cell. */
    private static final int REQUEST_TIMEOUT_MS = 120_000;
    /** Connect timeout (ms): no network fails within this. */
    private static final int CONNECT_TIMEOUT_MS = 15_000;

    private final MavenSettings settings;
    private RepositorySystem system;

    MavenResolver(MavenSettings settings) {
        this.settings = settings;
    }

    MavenSettings settings() {
        return settings;
    }

    /** One jar that was resolved: its coordinates and the file in the local repository. */
    record Jar(String groupId, String artifactId, String version, Path file) {
        String key() {
            return groupId + ":" + artifactId;
        }

        @Override
        public String toString() {
            return groupId + ":" + artifactId + ":" + version;
        }
    }

    /** What a resolution gave: jars to add, and dependencies left out because their key is present. */
    record Result(List<Jar> jars, List<Jar> skipped) {
    }

    /** Resolution failed; the message says which coordinates and why, in the resolver's words. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Resolves {@code dependencies} (roots; scope is ignored, they are wanted) and their transitive
     * compile and runtime dependencies from Maven Central (or its mirror) and {@code extraRepositories}.
     *
     * @param present {@code groupId:artifactId} keys already on the classpath: not downloaded, reported as skipped
     * @param downloaded told of each jar downloaded, as "name.jar (123 kB from central)"; may be called from the resolver's threads
     * @throws Failure an unknown artifact, a repository that cannot be reached, a broken POM
     */
    Result resolve(List<Dependency> dependencies, List<RemoteRepository> extraRepositories, Predicate<String> present,
            Consumer<String> downloaded) throws Failure {
        RepositorySystem sys = system();
        DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
        session.setLocalRepositoryManager(sys.newLocalRepositoryManager(session,
                new LocalRepository(settings.localRepository().toFile())));
        session.setOffline(settings.offline());
        session.setSystemProperties(System.getProperties());
        session.setConfigProperty("aether.connector.connectTimeout", CONNECT_TIMEOUT_MS);
        session.setConfigProperty("aether.connector.requestTimeout", REQUEST_TIMEOUT_MS);
        session.setTransferListener(new AbstractTransferListener() {
            @Override
            public void transferSucceeded(TransferEvent event) {
                String name = event.getResource().getResourceName();
                if (event.getRequestType() == TransferEvent.RequestType.GET && name.endsWith(".jar")) {
                    downloaded.accept(name.substring(name.lastIndexOf('/') + 1) + " (" + (event.getTransferredBytes() + 512) / 1024
                            + " kB from " + event.getResource().getRepositoryId() + ")");
                }
            }
        });

        List<RemoteRepository> repositories = new ArrayList<>();
        repositories.add(new RemoteRepository.Builder("central", "default", settings.centralUrl()).build());
        repositories.addAll(extraRepositories);

        List<Dependency> roots = new ArrayList<>();
        for (Dependency d : dependencies) {
            roots.add(d.setScope(JavaScopes.COMPILE));
        }
        CollectRequest collect = new CollectRequest(roots, null, sys.newResolutionRepositories(session, repositories));
        Map<String, Jar> skipped = new LinkedHashMap<>();
        DependencyFilter notPresent = (node, parents) -> {
            Artifact a = node.getArtifact();
            if (a == null) {
                return true;
            }
            String key = a.getGroupId() + ":" + a.getArtifactId();
            if (present.test(key)) {
                skipped.putIfAbsent(key, new Jar(a.getGroupId(), a.getArtifactId(), a.getVersion(), null));
                return false;
            }
            return true;
        };
        DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.andFilter(
                DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME), notPresent));
        DependencyResult result;
        try {
            result = sys.resolveDependencies(session, request);
        } catch (DependencyResolutionException e) {
            throw new Failure(describe(e), e);
        } catch (RuntimeException e) {
            throw new Failure(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
        List<Jar> jars = new ArrayList<>();
        for (ArtifactResult r : result.getArtifactResults()) {
            Artifact a = r.getArtifact();
            if (a != null && a.getFile() != null) {
                jars.add(new Jar(a.getGroupId(), a.getArtifactId(), a.getVersion(), a.getFile().toPath()));
            }
        }
        return new Result(jars, List.copyOf(skipped.values()));
    }

    private RepositorySystem system() {
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        return system;
    }

    /**
     * The resolver's own words for what went wrong: the deepest resolver message (it names the
     * artifact and the repository), then the I/O cause below it (an unknown host, a refused
     * connection) when there is one.
     */
    static String describe(Throwable e) {
        List<String> parts = new ArrayList<>();
        if (e instanceof DependencyResolutionException dre && dre.getResult() != null) {
            for (ArtifactResult r : dre.getResult().getArtifactResults()) {
                r.getExceptions().forEach(x -> addDeepest(x, parts));
            }
            dre.getResult().getCollectExceptions().forEach(x -> addDeepest(x, parts));
        }
        if (parts.isEmpty()) {
            addDeepest(e, parts);
        }
        return String.join("; ", parts);
    }

    private static void addDeepest(Throwable e, List<String> parts) {
        String deepest = e.getMessage();
        Throwable io = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RepositoryException && t.getMessage() != null) {
                deepest = t.getMessage();
                io = null;
            } else if (!(t instanceof RepositoryException) && io == null) {
                io = t;
            }
        }
        String text = deepest == null ? e.getClass().getSimpleName() : deepest;
        if (io != null && io.getMessage() != null && !text.contains(io.getMessage())) {
            text += " (" + io.getClass().getSimpleName() + ": " + io.getMessage() + ")";
        }
        if (!parts.contains(text)) {
            parts.add(text);
        }
    }
}
