/**
 * Who may call what: operator endpoints need HTTP Basic; health is open; the data API (HTTP and the
 * binary client protocol) is open unless {@code dynamo.security.data-api=authenticated}.
 */
package dev.dynamo.node.security;
