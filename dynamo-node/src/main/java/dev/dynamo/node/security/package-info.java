/** Who may call what over HTTP: the data API and health are open, operator endpoints need HTTP Basic. */
package dev.dynamo.node.security;
