/** Operator views of the cluster under {@code /actuator}: the ring, a key's replicas, ring health. */
package dev.dynamo.node.actuator;
