/** Pure quorum decisions: fed replica replies, they say whether a request is done and with what answer. */
package dev.dynamo.core.quorum;
