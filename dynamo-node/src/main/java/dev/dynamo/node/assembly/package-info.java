/** The composition root: a node built from its parts, for the Spring node and the simulation alike. */
package dev.dynamo.node.assembly;
