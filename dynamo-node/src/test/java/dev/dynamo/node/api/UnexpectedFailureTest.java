package dev.dynamo.node.api;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A failure no handler expects still answers a problem document, and tells nothing of the node's internals. */
class UnexpectedFailureTest {

    @RestController
    static class Failing {
        @GetMapping("/fails")
        String fails() {
            throw new IllegalStateException("secret internals: /var/lib/dynamo/data.mdb at offset 42");
        }
    }

    @Test
    void anUnexpectedExceptionIsAProblemDocumentWithoutItsMessage() throws Exception {
        MockMvc mvc = MockMvcBuilders.standaloneSetup(new Failing()).setControllerAdvice(new ApiProblems()).build();

        mvc.perform(get("/fails"))
                .andExpect(status().isInternalServerError())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:dynamo:problem:internal"))
                .andExpect(jsonPath("$.detail").value("the node failed to serve this request; its log has the details"))
                .andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("secret"))));
    }
}
