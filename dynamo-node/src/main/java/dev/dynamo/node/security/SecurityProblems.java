package dev.dynamo.node.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refusals of the operator endpoints, and of the data API when it is authenticated, as RFC 9457 problem
 * documents like every other error of the node: 401 with a Basic challenge when credentials are missing
 * or wrong, or when the node has no account for the endpoint at all (which the document then says), the
 * console's scripts excepted from the challenge;
 * 403 when an authenticated caller may not do what it asked; 400 when the firewall refuses a request's path or headers.
 */
final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private static final String REALM = "Dynamo";
    /**
     * The header by which the admin console's scripts say they sign in with their own form: their 401s
     * carry no Basic challenge, which would make the browser open its own password prompt instead.
     */
    private static final String REQUESTED_WITH = "X-Requested-With";
    private static final String SCRIPT = "XMLHttpRequest";
    private static final String NO_PASSWORD = "this node has no operator password: admin and actuator endpoints (except"
            + " health) refuse every request until spring.security.user.password is set";
    private static final String NO_DATA_ACCOUNT = "the data API needs credentials"
            + " (dynamo.security.data-api=authenticated) but this node has no account for it: set"
            + " spring.security.user.password or dynamo.security.client.*";

    private final JsonMapper json;
    /** Why every request is refused, when there is no account at all; else null. */
    private final String noAccount;
    private final String needsCredentials;

    private SecurityProblems(JsonMapper json, String noAccount, String needsCredentials) {
        this.json = json;
        this.noAccount = noAccount;
        this.needsCredentials = needsCredentials;
    }

    /** Refusals of the operator endpoints. */
    static SecurityProblems operator(JsonMapper json, boolean passwordConfigured) {
        return new SecurityProblems(json, passwordConfigured ? null : NO_PASSWORD,
                "this endpoint needs HTTP Basic authentication with the operator's credentials");
    }

    /** Refusals of the authenticated data API. */
    static SecurityProblems dataApi(JsonMapper json, boolean anyAccount) {
        return new SecurityProblems(json, anyAccount ? null : NO_DATA_ACCOUNT, "the data API needs HTTP Basic"
                + " authentication (dynamo.security.data-api=authenticated) with the data account or the operator's");
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        String detail = noAccount != null ? noAccount
                : e instanceof BadCredentialsException ? "wrong user name or password, or a malformed Authorization header"
                : needsCredentials;
        if (!SCRIPT.equals(request.getHeader(REQUESTED_WITH))) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
        }
        write(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated", detail);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        boolean dataOnly = caller != null && caller.getAuthorities().stream()
                .anyMatch(authority -> SecurityConfiguration.DATA_ONLY.equals(authority.getAuthority()));
        write(response, HttpStatus.FORBIDDEN, "forbidden", "Forbidden", dataOnly
                ? "the data-only account (dynamo.security.client.name) may use the data API and health, nothing else"
                : "the authenticated caller may not do this: " + e.getMessage());
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        write(response, HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
                "the request was refused: " + e.getMessage());
    }

    private void write(HttpServletResponse response, HttpStatus status, String type, String title, String detail)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("urn:dynamo:problem:" + type));
        problem.setTitle(title);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
