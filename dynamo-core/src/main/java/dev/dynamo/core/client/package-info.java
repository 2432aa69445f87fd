/** What a client application reads and writes: values, siblings, opaque causal contexts, failure kinds. */
package dev.dynamo.core.client;
