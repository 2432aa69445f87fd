/** The data requests (get, put, delete of a key), validated and run once for both doors: HTTP and the binary client API. */
package dev.dynamo.node.kv;
