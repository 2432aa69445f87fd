package dev.dynamo.node.security;

import jakarta.servlet.DispatcherType;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what over HTTP. Open: the data API ({@code /kv/**}), health ({@code /actuator/health}
 * and its groups) and the console's static files (GET under {@code /admin/}, and its libraries under
 * {@code /webjars/}). Everything else, above all the rest of {@code /actuator} and
 * {@code /admin/api}, needs the operator's credentials
 * ({@code spring.security.user.name} and {@code .password}) by HTTP Basic, checked on every request
 * (no session). There is no built-in password: Boot's generated one is never used, and a node without
 * a configured password says so at start-up and refuses every protected request.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /** A password already naming its encoding, such as {@code {bcrypt}$2a$...}, is taken as it is. */
    private static final Pattern ENCODED = Pattern.compile("^\\{.+}.*$");

    private static final RequestMatcher DATA_API = PathPatternRequestMatcher.withDefaults().matcher("/kv/**");

    /**
     * The data API is open and is the hot path: its own chain with every default filter switched off,
     * so a request pays nothing for security and its responses get no extra headers.
     */
    @Bean
    @Order(1)
    SecurityFilterChain dataApi(HttpSecurity http) throws Exception {
        return http.securityMatcher(DATA_API)
                .csrf(AbstractHttpConfigurer::disable)
                .headers(AbstractHttpConfigurer::disable)
                .sessionManagement(AbstractHttpConfigurer::disable)
                .securityContext(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .servletApi(AbstractHttpConfigurer::disable)
                .exceptionHandling(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain operatorEndpoints(HttpSecurity http, SecurityProblems problems) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/admin/api/**").authenticated()
                        .requestMatchers(HttpMethod.GET, "/admin", "/admin/**", "/webjars/**").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(basic -> basic.authenticationEntryPoint(problems))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                // CSRF tokens protect cookie sessions, and there are none: every call carries its
                // credentials in the Authorization header, and what changes state takes PUT, DELETE or a
                // JSON POST, which a page of another site cannot send without a CORS preflight that this
                // node never grants. (So the admin API must keep refusing bodies other than JSON.)
                .csrf(AbstractHttpConfigurer::disable)
                .build();
    }

    /** The firewall that lets keys of any bytes through; refused requests get a problem document. */
    @Bean
    WebSecurityCustomizer firewall(SecurityProblems problems) {
        return web -> web.httpFirewall(new DataApiFirewall(DATA_API)).requestRejectedHandler(problems);
    }

    @Bean
    SecurityProblems securityProblems(JsonMapper json, SecurityProperties properties) {
        return new SecurityProblems(json, !properties.getUser().isPasswordGenerated());
    }

    /** The one operator account; with no password configured, none, so every protected request is refused. */
    @Bean
    UserDetailsService operatorAccount(SecurityProperties properties) {
        SecurityProperties.User user = properties.getUser();
        if (user.isPasswordGenerated()) {
            log.warn("No operator password is configured: admin and actuator endpoints (except health) refuse"
                    + " every request until spring.security.user.password is set.");
            return new InMemoryUserDetailsManager();
        }
        String password = user.getPassword();
        InMemoryUserDetailsManager account = new InMemoryUserDetailsManager(User.withUsername(user.getName())
                .password(ENCODED.matcher(password).matches() ? password : "{noop}" + password)
                .roles(user.getRoles().toArray(String[]::new))
                .build());
        // only the lookup: a manager exposed whole also serves as a password store, and Spring then
        // re-encodes a {noop} password with bcrypt at the first login, after which every request
        // costs a bcrypt check (about 60 ms of CPU here)
        return account::loadUserByUsername;
    }
}
