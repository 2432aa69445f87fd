/** Causal versions of a key: version vectors, dotted siblings (Almeida et al. 2014) and their codecs. */
package dev.dynamo.core.version;
