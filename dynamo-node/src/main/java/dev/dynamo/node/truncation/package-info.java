/** Bucket truncation: a throttled background job per bucket that deletes every key a listing finds. */
package dev.dynamo.node.truncation;
