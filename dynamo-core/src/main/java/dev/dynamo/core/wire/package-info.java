/** The messages nodes (and partition-aware clients) exchange, and their binary codec. */
package dev.dynamo.core.wire;
