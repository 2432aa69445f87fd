/** Partition transfer: a partition's new owner pulls it from a current replica, resumably, at a bounded rate. */
package dev.dynamo.node.transfer;
