package dev.dynamo.node.membership;

/**
 * The heartbeat arrivals of one incarnation of a peer: the time of the last one and the most recent
 * intervals between them, from which {@link #phi} judges how suspicious the silence since is.
 * Guarded by the detector (one window per peer, updated inside the map's compute).
 */
final class ArrivalWindow {

    /** Intervals kept: enough for a steady estimate, few enough to follow a change of pace. */
    static final int SIZE = 1000;

    private final long generation;
    private final long[] intervals = new long[SIZE];
    private int count;
    private int next;
    private double sum;
    private double sumOfSquares;
    private long last;

    /** A window opened by the first heartbeat of {@code generation}, expecting {@code firstInterval} until it learns. */
    ArrivalWindow(long generation, long now, long firstIntervalMillis) {
        this.generation = generation;
        this.last = now;
        add(firstIntervalMillis);
    }

    long generation() {
        return generation;
    }

    /** A heartbeat arrived at {@code now}. */
    synchronized void arrived(long now) {
        add(Math.max(0, now - last));
        last = now;
    }

    /** The peer answered a request at {@code now}: it is alive, though this is no heartbeat interval. */
    synchronized void heardFrom(long now) {
        last = Math.max(last, now);
    }

    /**
     * The suspicion level at {@code now}: -log10 of the probability that a heartbeat comes even later
     * than the silence so far, with intervals taken as normally distributed (Hayashibara et al. 2004,
     * "The phi accrual failure detector") around their mean plus {@code marginMillis}, the standard
     * deviation at least {@code minStdDevMillis}. The normal tail uses the logistic approximation of
     * Bowling et al. 2009.
     */
    synchronized double phi(long now, long marginMillis, long minStdDevMillis) {
        double y = (now - last - mean() - marginMillis) / stdDev(minStdDevMillis);
        double z = logisticExponent(y); // P(later) = 1 / (1 + e^z)
        double lnOnePlusEz = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
        return lnOnePlusEz / Math.log(10);
    }

    /**
     * Whether the silence at {@code now} is at least {@code deviations} standard deviations past the
     * mean interval plus the margin: {@link #phi} grows with the silence, so this is phi reaching
     * the threshold whose {@link #deviationsAt deviations} are given, without computing phi.
     */
    synchronized boolean silentFor(long now, long marginMillis, long minStdDevMillis, double deviations) {
        return now - last >= mean() + marginMillis + deviations * stdDev(minStdDevMillis);
    }

    /** How many standard deviations past the mean a silence must be for phi to reach {@code threshold}. */
    static double deviationsAt(double threshold) {
        // solve logisticExponent(y) = ln(10^threshold - 1): 0.070566 y^3 + 1.5976 y - z = 0 (Cardano, one real root)
        double z = Math.log(Math.pow(10, threshold) - 1);
        double p = 1.5976 / 0.070566;
        double q = -z / 0.070566;
        double root = Math.sqrt(q * q / 4 + p * p * p / 27);
        return Math.cbrt(-q / 2 + root) + Math.cbrt(-q / 2 - root);
    }

    private static double logisticExponent(double y) {
        return y * (1.5976 + 0.070566 * y * y);
    }

    private double mean() {
        return sum / count;
    }

    private double stdDev(long minStdDevMillis) {
        double mean = mean();
        return Math.max(minStdDevMillis, Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean)));
    }

    private void add(long interval) {
        if (count == SIZE) {
            long dropped = intervals[next];
            sum -= dropped;
            sumOfSquares -= (double) dropped * dropped;
        } else {
            count++;
        }
        intervals[next] = interval;
        next = (next + 1) % SIZE;
        sum += interval;
        sumOfSquares += (double) interval * interval;
    }
}
