/** Deterministic simulation: many nodes in one JVM on virtual time, a seeded network, injected faults. */
package dev.dynamo.node.simulation;
