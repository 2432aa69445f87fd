/** The admin console's own data: a node status document and the preview of a member's removal. */
package dev.dynamo.node.console;
