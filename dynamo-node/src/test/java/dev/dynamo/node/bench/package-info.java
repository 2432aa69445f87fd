/** Benchmark programs (mains, not tests): storage engines directly, and a running node over HTTP; see BENCHMARKS.md. */
package dev.dynamo.node.bench;
