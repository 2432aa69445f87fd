package dev.dynamo.test.cart;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application with only the starter, as the README's section "Using Dynamo from Spring" has it. */
@SpringBootApplication
class CartApplication {
}
