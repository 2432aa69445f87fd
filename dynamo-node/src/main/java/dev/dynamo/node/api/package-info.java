/** The HTTP API at the edge: translates requests to the KvService and the admin calls, answers errors as problem documents. */
package dev.dynamo.node.api;
