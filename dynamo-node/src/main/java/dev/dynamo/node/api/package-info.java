/** The HTTP API at the edge: parses and validates requests once, answers errors as problem documents. */
package dev.dynamo.node.api;
