package org.parisjava.kernel;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.Exclusion;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The dependencies and repositories of a POM fragment as a {@code %%loadFromPOM} cell holds it:
 * one or more {@code <dependency>} elements, a {@code <dependencies>} element, or a whole
 * {@code <project>} with {@code <repositories>}, {@code <properties>} ({@code ${name}} is replaced)
 * and {@code <dependencyManagement>} (versions for dependencies that give none). Dependencies of
 * plugins and profiles are not read.
 *
 * @param dependencies what to resolve, with their {@code <exclusions>}
 * @param repositories repositories to search besides Maven Central
 */
record PomFragment(List<Dependency> dependencies, List<RemoteRepository> repositories) {
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");
    private static final String WRAPPER = "pom-fragment";

    /** A fragment that cannot be used; the message names the line or the element. */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;

        Invalid(int line, String message) {
            super(message);
            this.line = line;
        }

        /** The fragment's line (1-based) the problem is on, or 0 when it is not one line. */
        int line() {
            return line;
        }
    }

    /** Errors become exceptions, warnings are dropped: nothing is printed. */
    static final ErrorHandler QUIET = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    static PomFragment parse(String xml) throws Invalid {
        String body = xml.strip().startsWith("<?xml") ? xml.substring(xml.indexOf("?>") + 2) : xml;
        int lost = xml.length() - body.length() == 0 ? 0 : CellSplitter.countNewlines(xml, 0, xml.indexOf("?>"));
        Element root;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            // Wrapped so that several top-level <dependency> elements are one document; the wrapper
            // adds no line, so the parser's line numbers are the fragment's.
            DocumentBuilder db = f.newDocumentBuilder();
            db.setErrorHandler(QUIET); // the parser's default handler prints to stderr
            root = db.parse(new InputSource(new StringReader("<" + WRAPPER + ">" + body + "</" + WRAPPER + ">")))
                    .getDocumentElement();
        } catch (SAXParseException e) {
            throw new Invalid(e.getLineNumber() + lost, "not well-formed XML (column " + e.getColumnNumber() + "): "
                    + e.getMessage());
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new Invalid(0, "cannot read the POM fragment: " + e.getMessage());
        }
        Element project = child(root, "project");
        Element top = project != null ? project : root;
        Map<String, String> properties = new HashMap<>();
        Element props = child(top, "properties");
        if (props != null) {
            for (Element p : children(props, null)) {
                properties.put(p.getTagName(), p.getTextContent().strip());
            }
        }
        Map<String, String> managed = new HashMap<>();
        Element management = child(top, "dependencyManagement");
        if (management != null && child(management, "dependencies") != null) {
            for (Element d : children(child(management, "dependencies"), "dependency")) {
                String g = value(d, "groupId", properties);
                String a = value(d, "artifactId", properties);
                String v = value(d, "version", properties);
                if (g != null && a != null && v != null) {
                    managed.put(g + ":" + a, v);
                }
            }
        }
        List<Element> dependencyElements = new ArrayList<>(children(top, "dependency"));
        Element deps = child(top, "dependencies");
        if (deps != null) {
            dependencyElements.addAll(children(deps, "dependency"));
        }
        List<Dependency> dependencies = new ArrayList<>();
        for (Element d : dependencyElements) {
            dependencies.add(dependency(d, properties, managed));
        }
        if (dependencies.isEmpty()) {
            throw new Invalid(0, "no <dependency> found (expected <dependency> elements, <dependencies>, or a <project>)");
        }
        List<RemoteRepository> repositories = new ArrayList<>();
        Element repos = child(top, "repositories");
        if (repos != null) {
            for (Element r : children(repos, "repository")) {
                String url = value(r, "url", properties);
                if (url == null) {
                    throw new Invalid(0, "a <repository> without <url>");
                }
                String id = value(r, "id", properties);
                repositories.add(new RemoteRepository.Builder(id == null ? url : id, "default", url).build());
            }
        }
        return new PomFragment(List.copyOf(dependencies), List.copyOf(repositories));
    }

    private static Dependency dependency(Element d, Map<String, String> properties, Map<String, String> managed)
            throws Invalid {
        String g = value(d, "groupId", properties);
        String a = value(d, "artifactId", properties);
        if (g == null || a == null) {
            throw new Invalid(0, "a <dependency> without <groupId> or <artifactId>: " + d.getTextContent().strip().replaceAll("\\s+", " "));
        }
        String v = value(d, "version", properties);
        if (v == null) {
            v = managed.get(g + ":" + a);
        }
        if (v == null) {
            throw new Invalid(0, "<dependency> " + g + ":" + a + " has no <version> (and no <dependencyManagement> gives one)");
        }
        if (v.contains("${")) {
            throw new Invalid(0, "<dependency> " + g + ":" + a + ": unknown property in version " + v);
        }
        String type = value(d, "type", properties);
        String classifier = value(d, "classifier", properties);
        List<Exclusion> exclusions = new ArrayList<>();
        Element ex = child(d, "exclusions");
        if (ex != null) {
            for (Element e : children(ex, "exclusion")) {
                exclusions.add(new Exclusion(orStar(value(e, "groupId", properties)), orStar(value(e, "artifactId", properties)), "*", "*"));
            }
        }
        DefaultArtifact artifact = new DefaultArtifact(g, a, classifier == null ? "" : classifier,
                type == null || type.equals("jar") ? "jar" : type, v);
        return new Dependency(artifact, JavaScopes.COMPILE, false, exclusions);
    }

    private static String orStar(String s) {
        return s == null ? "*" : s;
    }

    private static String value(Element parent, String name, Map<String, String> properties) {
        String t = MavenSettings.text(parent, name);
        if (t == null) {
            return null;
        }
        Matcher m = PROPERTY.matcher(t);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String replacement = properties.getOrDefault(m.group(1), m.group());
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static Element child(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && (name == null || e.getTagName().equals(name))) {
                out.add(e);
            }
        }
        return out;
    }
}
