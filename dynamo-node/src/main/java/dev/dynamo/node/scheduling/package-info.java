/** Time-driven work behind one seam, so the simulation can run it on virtual time. */
package dev.dynamo.node.scheduling;
