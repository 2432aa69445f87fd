/** The cluster secret, read by the transport and the data API alike. */
package dev.dynamo.node.secret;
