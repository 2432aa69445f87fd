/** Helpers for futures shared by the node and the client. */
package dev.dynamo.core.concurrent;
