/** Storage engines behind one narrow interface: LMDB, H2 MVStore, in-memory. */
package dev.dynamo.node.storage;
