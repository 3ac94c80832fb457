// Compiles and runs Java code for Accord in ONE JVM: the class under test and its mutants,
// each with a test class (or a recording main class), then the tests on each of them.
//
// Accord compiles this file once per JDK into its cache and runs it in a sandboxed subprocess:
//     java -cp <cache>:<junit console standalone jar> AccordJava <spec file>
// The spec file has one tab-separated instruction per line:
//     classpath <compile class path>      (the project's classes and jars, and JUnit)
//     runpath   <class path>              (the project's classes and jars, for the runs)
//     sourcepath <folder>                 (the project's source root)
//     results   <file>                    (where outcomes are written)
//     variant   <name> <out folder> <source file>...   (compiled in the order given)
//     main      <class>                   (record: run the first variant's main)
//     junit     <class> <seconds> <mutant seconds>     (test: all variants)
// Every variant is compiled by the JDK's compiler in this JVM (warm after the first) into its
// own folder and loaded by its own class loader, so a mutant's classes never meet another's;
// the other classes of the project that the first variant compiled are shared (read from its
// folder, after the variant's own).
// With `junit`, the first variant's tests run (repeated as written), then, on every other
// variant, only the tests that passed every repetition; each in a thread given its seconds.
// The results file gets, per line: `build <variant> <error>`, `test <variant> <method> <0|1>`,
// `hung <variant>` and `done <variant>`.

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

final class AccordJava {
    private static PrintWriter results;

    public static void main(String[] arguments) throws Exception {
        String classpath = "", runpath = "", sourcepath = "";
        String[] command = null;
        List<String[]> variants = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(arguments[0]), StandardCharsets.UTF_8)) {
            String[] words = line.split("\t");
            switch (words[0]) {
                case "classpath": classpath = words.length > 1 ? words[1] : ""; break;
                case "runpath": runpath = words.length > 1 ? words[1] : ""; break;
                case "sourcepath": sourcepath = words[1]; break;
                case "results":
                    results = new PrintWriter(Files.newBufferedWriter(Path.of(words[1])), true);
                    break;
                case "variant": variants.add(Arrays.copyOfRange(words, 1, words.length)); break;
                default: command = words;
            }
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        Map<String, ClassLoader> loaders = new LinkedHashMap<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
            String shared = "";
            for (String[] variant : variants) {
                String error = compile(compiler, files, variant, shared + classpath, sourcepath);
                if (error != null) {
                    write("build\t" + variant[0] + "\t" + error);
                } else {
                    loaders.put(variant[0], loader(variant[1], shared + runpath));
                }
                if (variant == variants.get(0) && error == null) {
                    // The project's classes the first compiled are read back, not compiled again.
                    shared = variant[1] + File.pathSeparator;
                }
            }
        }
        if (command != null && command[0].equals("main")) {
            if (!loaders.isEmpty()) {
                record(loaders.values().iterator().next(), command[1]);
            }
        } else if (command != null && !loaders.isEmpty() && loaders.containsKey(variants.get(0)[0])) {
            test(loaders, command[1], Double.parseDouble(command[2]), Double.parseDouble(command[3]));
        }
        System.out.flush();
        results.flush();
        Runtime.getRuntime().halt(0);
    }

    static synchronized void write(String line) {
        results.println(line.replace('\n', ' '));
    }

    static String compile(JavaCompiler compiler, StandardJavaFileManager files, String[] variant,
            String classpath, String sourcepath) throws IOException {
        Files.createDirectories(Path.of(variant[1]));
        List<String> options = new ArrayList<>(List.of(
            "-d", variant[1], "-encoding", "UTF-8", "-nowarn", "-proc:none", "-implicit:class",
            "-cp", classpath, "-sourcepath", sourcepath));
        List<File> sources = new ArrayList<>();
        for (int i = 2; i < variant.length; i++) {
            sources.add(new File(variant[i]));
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromFiles(sources);
        boolean built = compiler.getTask(null, files, diagnostics, options, null, units).call();
        if (built) {
            return null;
        }
        for (Diagnostic<? extends JavaFileObject> found : diagnostics.getDiagnostics()) {
            if (found.getKind() == Diagnostic.Kind.ERROR) {
                String name = found.getSource() == null ? "" : new File(found.getSource().getName()).getName();
                return name + ":" + found.getLineNumber() + ": error: " + found.getMessage(Locale.ROOT).split("\n")[0];
            }
        }
        return "javac failed";
    }

    static ClassLoader loader(String out, String runpath) throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(new File(out).toURI().toURL());
        for (String entry : runpath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(new URL[0]), AccordJava.class.getClassLoader());
    }

    static void record(ClassLoader loader, String name) throws Exception {
        Thread.currentThread().setContextClassLoader(loader);
        Method main = Class.forName(name, true, loader).getDeclaredMethod("main", String[].class);
        main.setAccessible(true);
        main.invoke(null, (Object) new String[0]);
    }

    static void test(Map<String, ClassLoader> loaders, String name, double seconds, double mutantSeconds)
            throws Exception {
        Launcher launcher = LauncherFactory.create();
        List<String> passed = null;
        for (Map.Entry<String, ClassLoader> variant : loaders.entrySet()) {
            Map<String, List<Boolean>> outcomes = new LinkedHashMap<>();
            Class<?> tests = Class.forName(name, false, variant.getValue());
            LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
            if (passed == null) {
                request.selectors(DiscoverySelectors.selectClass(tests));
            } else if (passed.isEmpty()) {
                break;
            } else {
                for (String method : passed) {
                    request.selectors(DiscoverySelectors.selectMethod(tests, method));
                }
            }
            boolean finished = run(launcher, request.build(), variant, outcomes,
                passed == null ? seconds : mutantSeconds);
            if (!finished) {
                write("hung\t" + variant.getKey());
                launcher = LauncherFactory.create();
                if (passed == null) {
                    return;
                }
                continue;
            }
            if (passed == null) {
                passed = new ArrayList<>();
                for (Map.Entry<String, List<Boolean>> outcome : outcomes.entrySet()) {
                    if (!outcome.getValue().contains(false)) {
                        passed.add(outcome.getKey());
                    }
                }
            }
            write("done\t" + variant.getKey());
        }
    }

    @SuppressWarnings({"deprecation", "removal"})
    static boolean run(Launcher launcher, LauncherDiscoveryRequest request, Map.Entry<String, ClassLoader> variant,
            Map<String, List<Boolean>> outcomes, double seconds) throws InterruptedException {
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest() && test.getSource().orElse(null) instanceof MethodSource) {
                    String method = ((MethodSource) test.getSource().get()).getMethodName();
                    boolean ok = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
                    outcomes.computeIfAbsent(method, key -> new ArrayList<>()).add(ok);
                    write("test\t" + variant.getKey() + "\t" + method + "\t" + (ok ? 1 : 0));
                }
            }
        };
        Thread thread = new Thread(() -> launcher.execute(request, listener));
        thread.setContextClassLoader(variant.getValue());
        thread.setDaemon(true);
        thread.start();
        thread.join((long) (seconds * 1000));
        if (!thread.isAlive()) {
            return true;
        }
        try {
            thread.stop();
        } catch (UnsupportedOperationException gone) {
            // Java 20 and later: the thread is left running; it is a daemon.
        }
        return false;
    }
}
