package dev.dynamo.node.api;

import dev.dynamo.node.truncation.Truncations;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Bucket truncation, for operators (behind the operator's credentials, see the security package):
 * {@code DELETE /kv/{bucket}} starts one on this node and answers 202 with its progress; the admin API lists
 * this node's truncations and their progress.
 */
@RestController
class TruncationsController {

    static final String TRUNCATIONS = "/admin/api/truncations";

    private final Truncations truncations;

    TruncationsController(Truncations truncations) {
        this.truncations = truncations;
    }

    @DeleteMapping(KvPath.PREFIX + "{bucket}")
    ResponseEntity<Truncations.Progress> truncate(@PathVariable String bucket) {
        Truncations.Progress started;
        try {
            started = truncations.truncate(bucket);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create(TRUNCATIONS + "/" + bucket)).body(started);
    }

    @GetMapping(TRUNCATIONS)
    List<Truncations.Progress> all() {
        return truncations.all();
    }

    @GetMapping(TRUNCATIONS + "/{bucket}")
    ResponseEntity<Truncations.Progress> one(@PathVariable String bucket) {
        return ResponseEntity.of(truncations.all().stream().filter(p -> p.bucket().equals(bucket)).findFirst());
    }
}
