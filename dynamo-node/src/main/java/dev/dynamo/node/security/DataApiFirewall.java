package dev.dynamo.node.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Spring Security's strict firewall for every request but the data API's. A key may hold any bytes,
 * so a data API path legitimately carries encoded '/', '%', '.' and ';', and dot segments, all of
 * which the strict firewall refuses. Letting them through there is safe: the data API is open, and
 * the security chain and Spring MVC both route on the same raw path, which the API decodes itself.
 */
final class DataApiFirewall implements HttpFirewall {

    private final RequestMatcher dataApi;
    private final StrictHttpFirewall strict = new StrictHttpFirewall();

    DataApiFirewall(RequestMatcher dataApi) {
        this.dataApi = dataApi;
    }

    @Override
    public FirewalledRequest getFirewalledRequest(HttpServletRequest request) {
        if (!dataApi.matches(request)) {
            return strict.getFirewalledRequest(request);
        }
        return new FirewalledRequest(request) {
            @Override
            public void reset() {
                // nothing was changed, so nothing to undo
            }
        };
    }

    @Override
    public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
        return strict.getFirewalledResponse(response);
    }
}
