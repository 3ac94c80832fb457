package shop.services;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Backups of the shop's data folder. */
public final class Backup {
    private final Path dataFolder;

    public Backup(Path dataFolder) {
        this.dataFolder = dataFolder;
    }

    /** Restores an archive: checks it, unpacks it through a shell command, then verifies. */
    public List<String> restore(String archive, boolean dryRun) throws IOException {
        List<String> log = new ArrayList<>();
        File file = new File(archive);
        if (!file.exists()) {
            log.add("missing archive " + archive);
            return log;
        }
        if (!file.canRead()) {
            log.add("cannot read " + archive);
            return log;
        }
        log.add("restoring " + archive);
        Path staging = Files.createTempDirectory("restore");
        log.add("staging in " + staging);
        if (dryRun) {
            log.add("dry run: nothing unpacked");
            return log;
        }
        // The archive name goes straight into a command line.
        Process unpack = Runtime.getRuntime().exec("tar xzf " + archive + " -C " + staging);
        try {
            int status = unpack.waitFor();
            log.add("tar exited with " + status);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            log.add("interrupted");
            return log;
        }
        long files = 0;
        try (var paths = Files.walk(staging)) {
            files = paths.filter(Files::isRegularFile).count();
        }
        log.add("unpacked " + files + " files");
        if (files == 0) {
            log.add("empty archive: keeping the current data");
            return log;
        }
        Path previous = dataFolder.resolveSibling(dataFolder.getFileName() + ".previous");
        Files.move(dataFolder, previous);
        Files.move(staging, dataFolder);
        log.add("previous data kept in " + previous);
        log.add("done");
        return log;
    }

    public Path dataFolder() {
        return dataFolder;
    }
}
