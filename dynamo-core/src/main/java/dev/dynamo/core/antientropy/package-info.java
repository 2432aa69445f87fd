/** Anti-entropy's pure parts: per-partition hash trees (Dynamo, section 4.7) and how two of them are compared. */
package dev.dynamo.core.antientropy;
