/**
 * Key listing: a page of a bucket's keys in byte order, read from each node's key index and merged over a
 * coverage plan (one reachable replica per partition), as Riak's coverage queries do.
 */
package dev.dynamo.node.listing;
