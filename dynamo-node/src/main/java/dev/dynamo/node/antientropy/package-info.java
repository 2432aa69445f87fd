/** Anti-entropy (Dynamo, section 4.7): hash trees kept up to date on every write, and the job that compares them with other replicas. */
package dev.dynamo.node.antientropy;
