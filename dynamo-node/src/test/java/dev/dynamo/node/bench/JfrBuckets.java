package dev.dynamo.node.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of a node serving requests (a program, not a test): each sample of
 * {@code --event} (default {@code jdk.CPUTimeSample}, JDK 25's CPU-time sampler, which also counts
 * time in native code and system calls) goes to the first bucket whose frame appears anywhere in
 * its stack, so the buckets add up to 100%; then the most frequent top frames.
 *
 * <pre>JfrBuckets recording.jfr [--event jdk.ExecutionSample]</pre>
 */
public final class JfrBuckets {

    /** Bucket name, then frame-name fragments ({@code Class.method}); checked in this order. */
    private static final Map<String, List<String>> BUCKETS = new LinkedHashMap<>();

    static {
        BUCKETS.put("socket read/write system calls (loopback TCP)", List.of("sun.nio.ch.SocketDispatcher."));
        BUCKETS.put("storage writer: LMDB commit (page writes, fsync)", List.of("mdb_txn_commit"));
        BUCKETS.put("storage writer: the rest (current value read, DVV step, codec, futures)", List.of("GroupCommitter.loop"));
        BUCKETS.put("KvController (key parsing, contexts, body, waiting)", List.of("api.KvController."));
        BUCKETS.put("Spring MVC dispatch around the controller", List.of("DispatcherServlet.doDispatch"));
        BUCKETS.put("servlet filters, Micrometer observation included", List.of("CoyoteAdapter.service"));
        BUCKETS.put("Tomcat HTTP/1.1 parsing and response", List.of("Http11Processor.service"));
        BUCKETS.put("Tomcat acceptor, poller, epoll, wakeups", List.of("NioEndpoint$Poller", "Acceptor.run", "EPoll.", "EventFD."));
        BUCKETS.put("virtual-thread scheduling", List.of("ForkJoinPool.", "VirtualThread.", "Continuation."));
    }

    private static final int TOP_FRAMES = 15;

    private JfrBuckets() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length != 1 && !(argv.length == 3 && argv[1].equals("--event"))) {
            throw new IllegalArgumentException("usage: JfrBuckets recording.jfr [--event jdk.ExecutionSample]");
        }
        String eventType = argv.length == 3 ? argv[2] : "jdk.CPUTimeSample";
        Map<String, Integer> buckets = new LinkedHashMap<>();
        BUCKETS.keySet().forEach(name -> buckets.put(name, 0));
        buckets.put("other", 0);
        Map<String, Integer> tops = new TreeMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(argv[0]))) {
            if (!event.getEventType().getName().equals(eventType) || event.getStackTrace() == null) {
                continue;
            }
            samples++;
            List<String> frames = new ArrayList<>();
            for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                frames.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
            }
            buckets.merge(bucketOf(frames), 1, Integer::sum);
            if (!frames.isEmpty()) {
                tops.merge(frames.getFirst(), 1, Integer::sum);
            }
        }
        if (samples == 0) {
            throw new IllegalStateException("no " + eventType + " events with a stack in " + argv[0]);
        }
        int total = samples;
        System.out.printf(Locale.ROOT, "%s: %d samples%n%n| where | share |%n|---|---|%n", eventType, total);
        buckets.forEach((name, count) -> System.out.printf(Locale.ROOT, "| %s | %.0f%% |%n", name, 100.0 * count / total));
        System.out.printf(Locale.ROOT, "%ntop frames:%n");
        tops.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(TOP_FRAMES)
                .forEach(top -> System.out.printf(Locale.ROOT, "%5.1f%%  %s%n", 100.0 * top.getValue() / total, top.getKey()));
    }

    private static String bucketOf(List<String> frames) {
        for (Map.Entry<String, List<String>> bucket : BUCKETS.entrySet()) {
            for (String frame : frames) {
                for (String fragment : bucket.getValue()) {
                    if (frame.contains(fragment)) {
                        return bucket.getKey();
                    }
                }
            }
        }
        return "other";
    }
}
