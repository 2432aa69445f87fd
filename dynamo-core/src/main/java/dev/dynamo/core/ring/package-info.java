/** The ring: Q equal partitions, their owners, claim on join and leave, and zone-aware preference lists. */
package dev.dynamo.core.ring;
