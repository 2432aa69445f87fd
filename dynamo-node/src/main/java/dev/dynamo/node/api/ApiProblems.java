package dev.dynamo.node.api;

import dev.dynamo.node.kv.KvFailure;
import dev.dynamo.node.membership.ClusterUnavailableException;
import dev.dynamo.node.membership.MembershipConflictException;
import dev.dynamo.node.membership.UnknownMemberException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error of the API as an RFC 9457 problem document with the reason in plain words; a data
 * request's {@link KvFailure} by its kind.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    @ExceptionHandler
    ResponseEntity<ProblemDetail> badRequest(BadRequestException e) {
        return badRequest(e.getMessage());
    }

    private static ResponseEntity<ProblemDetail> badRequest(String detail) {
        return problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> notFound(KeyNotFoundException e) {
        return withContext(problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage()), e.context());
    }

    /** The response with the key's causal context in its header, so a client can write next without reading; none if null. */
    private static ResponseEntity<ProblemDetail> withContext(ResponseEntity<ProblemDetail> response, String context) {
        return context == null ? response
                : ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                        .header(KvController.CONTEXT_HEADER, context).body(response.getBody());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> kvFailure(KvFailure e) {
        return switch (e.kind()) {
            case BAD_REQUEST -> badRequest(e.getMessage());
            case VALUE_TOO_LARGE ->
                    problem(HttpStatus.CONTENT_TOO_LARGE, "value-too-large", "Value too large", e.getMessage());
            case QUORUM_NOT_REACHED -> {
                ResponseEntity<ProblemDetail> response = problem(HttpStatus.SERVICE_UNAVAILABLE, "quorum-not-reached",
                        "Quorum not reached", e.getMessage());
                response.getBody().setProperty("answered", e.answered());
                response.getBody().setProperty("required", e.required());
                yield response;
            }
            case UNAVAILABLE -> unavailable(e.getMessage());
            case OBJECT_LIMIT -> problem(HttpStatus.CONTENT_TOO_LARGE, "object-limit", "Object limit", e.getMessage());
            case CONDITION_FAILED -> withContext(problem(HttpStatus.PRECONDITION_FAILED, "condition-failed",
                    "Condition failed", e.getMessage()), e.context());
            case STORAGE_FULL -> {
                log.warn("write refused: {}", e.getMessage());
                yield problem(HttpStatus.INSUFFICIENT_STORAGE, "storage-full", "Storage full", e.getMessage());
            }
        };
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unavailable(ClusterUnavailableException e) {
        return unavailable(e.getMessage());
    }

    private static ResponseEntity<ProblemDetail> unavailable(String detail) {
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Unavailable", detail);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unknownMember(UnknownMemberException e) {
        return problem(HttpStatus.NOT_FOUND, "unknown-member", "Unknown member", e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> membershipConflict(MembershipConflictException e) {
        return problem(HttpStatus.CONFLICT, "membership-conflict", "Membership conflict", e.getMessage());
    }

    /** Anything else: a problem document that tells nothing of the node's internals; the log has the details. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.warn("request failed", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "the node failed to serve this request; its log has the details");
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:dynamo:problem:" + type));
        problem.setTitle(title);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
