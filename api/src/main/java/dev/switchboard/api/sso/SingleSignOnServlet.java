package dev.switchboard.api.sso;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import dev.switchboard.api.platform.SwitchboardSettings;
import dev.switchboard.domain.accounts.VerifiedIdentity;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The browser's side of single sign-on (OpenID Connect authorization code flow with PKCE, state and
 * nonce). {@code /sso/signin} sends the browser to the provider; {@code /sso/callback} takes the
 * provider's answer, exchanges the code for tokens, verifies the ID token, renews the session id
 * and leaves the verified identity (or why there is none) in the HTTP session for the dashboard's
 * {@value #COMPLETION_PATH} page, which signs the person in. Without the settings both answer 404.
 */
@WebServlet(urlPatterns = {"/sso/signin", "/sso/callback"})
public class SingleSignOnServlet extends HttpServlet {

  /** The HTTP session attribute holding the {@link VerifiedIdentity} of a finished flow. */
  public static final String IDENTITY_ATTRIBUTE = "switchboard.sso.identity";

  /** The HTTP session attribute holding the message of a flow that failed. */
  public static final String FAILURE_ATTRIBUTE = "switchboard.sso.failure";

  /** The dashboard page that completes the sign-in. */
  public static final String COMPLETION_PATH = "/signin/sso";

  private static final String PENDING_ATTRIBUTE = "switchboard.sso.pending";
  private static final Logger LOG = Logger.getLogger(SingleSignOnServlet.class.getName());

  /** What the callback checks the provider's answer against; one per browser session at a time. */
  private record Pending(String state, String nonce, String codeVerifier) implements Serializable {}

  @Inject OidcProvider provider;
  @Inject SwitchboardSettings settings;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Optional<SwitchboardSettings.Oidc> oidc = provider.configured();
    if (oidc.isEmpty()) {
      response.sendError(404);
      return;
    }
    response.setHeader("Cache-Control", "no-store");
    if (request.getServletPath().equals("/sso/signin")) {
      begin(oidc.get(), request, response);
    } else {
      complete(oidc.get(), request, response);
    }
  }

  private void begin(
      SwitchboardSettings.Oidc oidc, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    OidcProvider.Resolved resolved;
    try {
      resolved = provider.resolved();
    } catch (ProviderUnavailableException e) {
      LOG.warning(e.getMessage());
      fail(request, response, "The identity provider cannot be reached now. Try again later.");
      return;
    }
    State state = new State();
    Nonce nonce = new Nonce();
    CodeVerifier verifier = new CodeVerifier();
    request
        .getSession()
        .setAttribute(
            PENDING_ATTRIBUTE,
            new Pending(state.getValue(), nonce.getValue(), verifier.getValue()));
    URI authorization =
        new AuthenticationRequest.Builder(
                ResponseType.CODE,
                new Scope("openid", "email", "profile"),
                new ClientID(oidc.clientId()),
                callbackUri())
            .endpointURI(resolved.metadata().getAuthorizationEndpointURI())
            .state(state)
            .nonce(nonce)
            .codeChallenge(verifier, CodeChallengeMethod.S256)
            .build()
            .toURI();
    response.sendRedirect(authorization.toString());
  }

  private void complete(
      SwitchboardSettings.Oidc oidc, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    HttpSession session = request.getSession(false);
    Pending pending = session == null ? null : (Pending) session.getAttribute(PENDING_ATTRIBUTE);
    if (pending == null) {
      fail(request, response, "This sign-in was not started in this browser: start it again.");
      return;
    }
    session.removeAttribute(PENDING_ATTRIBUTE); // one answer per sign-in
    try {
      VerifiedIdentity identity = exchange(oidc, request, pending);
      request.changeSessionId(); // an id planted before sign-in is worth nothing after it
      request.getSession().setAttribute(IDENTITY_ATTRIBUTE, identity);
      request.getSession().removeAttribute(FAILURE_ATTRIBUTE);
      response.sendRedirect(settings.publicUrl() + COMPLETION_PATH);
    } catch (SignInFailed e) {
      fail(request, response, e.getMessage());
    }
  }

  private VerifiedIdentity exchange(
      SwitchboardSettings.Oidc oidc, HttpServletRequest request, Pending pending)
      throws SignInFailed, IOException {
    OidcProvider.Resolved resolved;
    AuthenticationResponse answer;
    try {
      resolved = provider.resolved();
      String query = request.getQueryString();
      answer =
          AuthenticationResponseParser.parse(
              URI.create(callbackUri() + "?" + (query == null ? "" : query)));
    } catch (ProviderUnavailableException | ParseException | RuntimeException e) {
      throw new SignInFailed("The identity provider's answer could not be read: start again.");
    }
    if (!new State(pending.state()).equals(answer.getState())) {
      throw new SignInFailed("This sign-in was not started in this browser: start it again.");
    }
    if (answer instanceof AuthenticationErrorResponse error) {
      LOG.info(() -> "single sign-on refused by the provider: " + error.getErrorObject().getCode());
      throw new SignInFailed("The identity provider did not sign you in: start again.");
    }
    AuthorizationCode code = answer.toSuccessResponse().getAuthorizationCode();
    HTTPRequest exchange =
        new TokenRequest(
                resolved.metadata().getTokenEndpointURI(),
                new ClientSecretBasic(
                    new ClientID(oidc.clientId()), new Secret(oidc.clientSecret())),
                new AuthorizationCodeGrant(
                    code, callbackUri(), new CodeVerifier(pending.codeVerifier())))
            .toHTTPRequest();
    exchange.setConnectTimeout(OidcProvider.TIMEOUT_MILLIS);
    exchange.setReadTimeout(OidcProvider.TIMEOUT_MILLIS);
    TokenResponse tokens;
    try {
      tokens = OIDCTokenResponseParser.parse(exchange.send());
    } catch (ParseException e) {
      throw new SignInFailed("The identity provider's answer could not be read: start again.");
    }
    if (!tokens.indicatesSuccess()) {
      LOG.warning(
          () ->
              "single sign-on code exchange refused: "
                  + tokens.toErrorResponse().getErrorObject().getCode());
      throw new SignInFailed("The identity provider did not confirm the sign-in: start again.");
    }
    if (!(tokens.toSuccessResponse() instanceof OIDCTokenResponse signedIn)
        || signedIn.getOIDCTokens().getIDToken() == null) {
      throw new SignInFailed("The identity provider sent no ID token: start again.");
    }
    try {
      return resolved
          .tokens()
          .verifyIdToken(signedIn.getOIDCTokens().getIDToken(), new Nonce(pending.nonce()));
    } catch (TokenRejectedException e) {
      LOG.warning(e.getMessage());
      throw new SignInFailed("The identity provider's answer did not verify: start again.");
    }
  }

  private URI callbackUri() {
    return URI.create(settings.publicUrl() + "/sso/callback");
  }

  private void fail(HttpServletRequest request, HttpServletResponse response, String message)
      throws IOException {
    request.getSession().setAttribute(FAILURE_ATTRIBUTE, message);
    response.sendRedirect(settings.publicUrl() + COMPLETION_PATH);
  }

  /** A flow that ends without an identity; the message is for the person. */
  private static final class SignInFailed extends Exception {
    SignInFailed(String message) {
      super(message, null, false, false);
    }
  }
}
