package org.parisjava.cli;

/** A child for {@link ProcessFaultsTest}: watches its parent as an expert trainer does, prints "watching", then sleeps. */
public final class ParentWatchProbe {
    private ParentWatchProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean on = ParentWatch.startIfAsked();
        System.out.println(on ? "watching" : "not watching");
        System.out.flush();
        Thread.sleep(120_000);
        System.exit(3); // only if the watch failed
    }
}
