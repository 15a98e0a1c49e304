package org.parisjava.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Where {@code %maven} downloads to and from, the way Maven decides it: the local repository is
 * {@code -Dmaven.repo.local}, else {@code <localRepository>} of {@code ~/.m2/settings.xml}, else
 * {@code ~/.m2/repository}; a {@code <mirror>} of {@code central} (or of {@code *}) replaces Maven
 * Central's address; {@code <offline>true</offline>} resolves from the local repository only.
 *
 * @param localRepository the local Maven repository (created when missing)
 * @param centralUrl Maven Central's address, or its mirror's
 * @param offline never download
 */
record MavenSettings(Path localRepository, String centralUrl, boolean offline) {
    /** Maven Central's address. */
    static final String CENTRAL_URL = "https://repo.maven.apache.org/maven2/";

    MavenSettings {
        Objects.requireNonNull(localRepository, "localRepository");
        Objects.requireNonNull(centralUrl, "centralUrl");
    }

    /** The user's settings, read from {@code ~/.m2/settings.xml} and {@code -Dmaven.repo.local}. */
    static MavenSettings ofUser() {
        Path home = Path.of(System.getProperty("user.home"));
        return read(home.resolve(".m2/settings.xml"), home, System.getProperty("maven.repo.local"));
    }

    /**
     * Settings from {@code settingsXml} (absent: defaults). A settings file that is not well-formed
     * is an error naming it, as in Maven.
     */
    static MavenSettings read(Path settingsXml, Path userHome, String repoLocalProperty) {
        Path local = userHome.resolve(".m2/repository");
        String central = CENTRAL_URL;
        boolean offline = false;
        if (Files.isRegularFile(settingsXml)) {
            Element root = parse(settingsXml).getDocumentElement();
            String configured = text(root, "localRepository");
            if (configured != null) {
                local = Path.of(configured.replace("${user.home}", userHome.toString()));
            }
            offline = "true".equalsIgnoreCase(text(root, "offline"));
            NodeList mirrors = root.getElementsByTagName("mirror");
            for (int i = 0; i < mirrors.getLength(); i++) {
                Element m = (Element) mirrors.item(i);
                String of = text(m, "mirrorOf");
                String url = text(m, "url");
                if (of != null && url != null && mirrorsCentral(of)) {
                    central = url;
                    break;
                }
            }
        }
        if (repoLocalProperty != null && !repoLocalProperty.isBlank()) {
            local = Path.of(repoLocalProperty);
        }
        return new MavenSettings(local.toAbsolutePath(), central, offline);
    }

    private static boolean mirrorsCentral(String mirrorOf) {
        for (String part : mirrorOf.split(",")) {
            String p = part.strip();
            if (p.equals("central") || p.equals("*") || p.equals("external:*")) {
                return true;
            }
        }
        return false;
    }

    private static Document parse(Path file) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder db = f.newDocumentBuilder();
            db.setErrorHandler(PomFragment.QUIET);
            return db.parse(file.toFile());
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new IllegalArgumentException("cannot read Maven settings " + file + ": " + e.getMessage(), e);
        }
    }

    /** The trimmed text of the first direct child named {@code name}, or null. */
    static String text(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                String t = e.getTextContent().strip();
                return t.isEmpty() ? null : t;
            }
        }
        return null;
    }
}
