/** Hinted handoff: writes kept for a replica that was down, and the job that delivers them. */
package dev.dynamo.node.handoff;
