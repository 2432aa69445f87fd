/** Logging a remote party cannot flood. */
package dev.dynamo.node.logging;
