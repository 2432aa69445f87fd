/** The operator CLI ({@code admin}): the admin and actuator HTTP API as aligned tables or JSON, without starting Spring. */
package dev.dynamo.node.cli;
