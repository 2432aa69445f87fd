/** The byte-level primitives the binary codecs share: varints and length-prefixed bytes and text. */
package dev.dynamo.core.bytes;
