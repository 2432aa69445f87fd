package dev.dynamo.node.security;

import dev.dynamo.core.client.Credentials;
import dev.dynamo.node.transport.ClientGate;
import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what over HTTP, and which clients the binary client protocol admits ({@link ClientGate}).
 * Open: the data API ({@code /kv/**} but {@code DELETE /kv/{bucket}}, unless {@code dynamo.security.data-api=authenticated}), health
 * ({@code /actuator/health} and its groups) and the console's static files (GET under {@code /admin/},
 * and its libraries under {@code /webjars/}).
 * Everything else, above all the rest of {@code /actuator} and {@code /admin/api}, needs the operator's
 * credentials ({@code spring.security.user.name} and {@code .password}) by HTTP Basic, checked on every
 * request (no session). There is no built-in password: Boot's generated one is never used, and a node
 * without a configured password says so at start-up and refuses every protected request.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /** The data API: {@code /kv/**} but a bucket's truncation ({@code DELETE /kv/{bucket}}), which is the operator's. */
    private static final RequestMatcher DATA_API = new AndRequestMatcher(
            PathPatternRequestMatcher.withDefaults().matcher("/kv/**"),
            new NegatedRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.DELETE, "/kv/*")));
    /**
     * The console's pages load only their own scripts, styles and data; nothing stored under {@code /kv}
     * or from another origin runs in them, and no other page may frame them.
     */
    private static final String CONSOLE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' "
            + "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    /** The authority of the data-only account ({@code dynamo.security.client.*}). */
    static final String DATA_ONLY = "DATA_API_ONLY";
    /** Who may call the operator endpoints: any authenticated account but the data-only one. */
    private static final AuthorizationManager<RequestAuthorizationContext> OPERATOR = AuthorizationManagers.allOf(
            AuthenticatedAuthorizationManager.authenticated(),
            AuthorizationManagers.not(AuthorityAuthorizationManager.hasAuthority(DATA_ONLY)));

    /**
     * The data API is the hot path. Open (the default): its own chain with every default filter switched
     * off but the two headers that keep stored values inert, so a request pays next to nothing for security. Authenticated:
     * HTTP Basic on every request, checked against {@link DataApiAccounts} (no bcrypt per request), refusals
     * as problem documents.
     */
    @Bean
    @Order(1)
    SecurityFilterChain dataApi(HttpSecurity http, DataApiSecurityProperties properties, DataApiAccounts accounts,
            JsonMapper json) throws Exception {
        // stored values are served from the console's origin: whatever they hold, a browser neither
        // sniffs nor runs them (active types also go out as attachments, see api.StoredContent)
        http.securityMatcher(DATA_API)
                .csrf(AbstractHttpConfigurer::disable)
                .headers(headers -> headers.defaultsDisabled().contentTypeOptions(Customizer.withDefaults())
                        .contentSecurityPolicy(csp -> csp.policyDirectives("sandbox")))
                .requestCache(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable);
        if (properties.dataApi() == DataApiSecurityProperties.Access.OPEN) {
            return http.sessionManagement(AbstractHttpConfigurer::disable)
                    .securityContext(AbstractHttpConfigurer::disable)
                    .anonymous(AbstractHttpConfigurer::disable)
                    .servletApi(AbstractHttpConfigurer::disable)
                    .exceptionHandling(AbstractHttpConfigurer::disable)
                    .build();
        }
        SecurityProblems problems = SecurityProblems.dataApi(json, !accounts.isEmpty());
        return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .authenticationManager(authentication -> {
                    if (!accounts.verify(authentication.getName(), String.valueOf(authentication.getCredentials()))) {
                        throw new BadCredentialsException("wrong user name or password");
                    }
                    return UsernamePasswordAuthenticationToken.authenticated(authentication.getName(), null, List.of());
                })
                .httpBasic(basic -> basic.authenticationEntryPoint(problems))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    /**
     * The accounts of the authenticated data API: the operator's (when it has a password) and the data-only
     * client account (when named). Only the operator's reaches the operator endpoints.
     */
    @Bean
    DataApiAccounts dataApiAccounts(SecurityProperties security, DataApiSecurityProperties properties) {
        List<DataApiAccounts.Account> accounts = new ArrayList<>();
        SecurityProperties.User operator = security.getUser();
        if (!operator.isPasswordGenerated()) {
            accounts.add(new DataApiAccounts.Account(operator.getName(), operator.getPassword()));
        }
        DataApiSecurityProperties.Client client = properties.client();
        if (client.isSet()) {
            if (client.name().equals(operator.getName())) {
                throw new IllegalArgumentException("dynamo.security.client.name must differ from the operator's"
                        + " spring.security.user.name (" + operator.getName() + ")");
            }
            accounts.add(new DataApiAccounts.Account(client.name(), client.password()));
        }
        if (properties.dataApi() == DataApiSecurityProperties.Access.AUTHENTICATED && accounts.isEmpty()) {
            log.warn("dynamo.security.data-api=authenticated but no account is configured: the data API refuses every"
                    + " request until spring.security.user.password or dynamo.security.client.* is set.");
        }
        return new DataApiAccounts(accounts);
    }

    /** Whom the binary client protocol admits: anyone when the data API is open, else the data API's accounts. */
    @Bean
    ClientGate clientGate(DataApiSecurityProperties properties, DataApiAccounts accounts) {
        if (properties.dataApi() == DataApiSecurityProperties.Access.OPEN) {
            return ClientGate.OPEN;
        }
        return hello -> {
            Credentials credentials = hello.credentials();
            if (credentials == null) {
                return Optional.of("this node needs credentials (dynamo.security.data-api=authenticated): set"
                        + " dynamo.client.username and dynamo.client.password");
            }
            return accounts.verify(credentials.username(), credentials.password()) ? Optional.empty()
                    : Optional.of("wrong user name or password");
        };
    }

    @Bean
    @Order(2)
    SecurityFilterChain operatorEndpoints(HttpSecurity http, SecurityProblems problems) throws Exception {
        return http
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/admin/api/**").access(OPERATOR)
                        .requestMatchers(HttpMethod.GET, "/admin", "/admin/**", "/webjars/**").permitAll()
                        .anyRequest().access(OPERATOR))
                .httpBasic(basic -> basic.authenticationEntryPoint(problems))
                .exceptionHandling(handling -> handling.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CONSOLE_POLICY)))
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
        return SecurityProblems.operator(json, !properties.getUser().isPasswordGenerated());
    }

    /**
     * The accounts HTTP Basic knows outside the data API: the operator's (none without a configured
     * password, so every protected request is refused) and the data-only account, which the operator
     * endpoints refuse by its {@link #DATA_ONLY} authority but which may still see health.
     */
    @Bean
    UserDetailsService httpAccounts(SecurityProperties security, DataApiSecurityProperties properties) {
        SecurityProperties.User user = security.getUser();
        InMemoryUserDetailsManager accounts = new InMemoryUserDetailsManager();
        if (user.isPasswordGenerated()) {
            log.warn("No operator password is configured: admin and actuator endpoints (except health) refuse"
                    + " every request until spring.security.user.password is set.");
        } else {
            accounts.createUser(User.withUsername(user.getName()).password(withEncoding(user.getPassword()))
                    .roles(user.getRoles().toArray(String[]::new)).build());
        }
        DataApiSecurityProperties.Client client = properties.client();
        if (client.isSet()) {
            accounts.createUser(User.withUsername(client.name()).password(withEncoding(client.password()))
                    .authorities(DATA_ONLY).build());
        }
        // only the lookup: a manager exposed whole also serves as a password store, and Spring then
        // re-encodes a {noop} password with bcrypt at the first login, after which every request
        // costs a bcrypt check (about 60 ms of CPU here)
        return accounts::loadUserByUsername;
    }

    private static String withEncoding(String password) {
        return DataApiAccounts.ENCODED.matcher(password).matches() ? password : "{noop}" + password;
    }
}
