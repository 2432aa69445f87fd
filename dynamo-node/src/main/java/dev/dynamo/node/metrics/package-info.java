/** The node's own Micrometer meters, exported at {@code /actuator/prometheus}. */
package dev.dynamo.node.metrics;
