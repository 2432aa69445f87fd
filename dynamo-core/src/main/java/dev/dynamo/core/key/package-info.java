/** Keys as the contract limits them and as storage lays them out. */
package dev.dynamo.core.key;
