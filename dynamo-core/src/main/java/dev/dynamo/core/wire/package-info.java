/** The two binary protocols, internode ({@link Message}) and client ({@link ClientMessage}), their codecs and framing. */
package dev.dynamo.core.wire;
