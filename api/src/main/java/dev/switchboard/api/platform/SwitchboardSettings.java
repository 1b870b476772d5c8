package dev.switchboard.api.platform;

import dev.switchboard.domain.keys.FreeTier;
import dev.switchboard.domain.money.Credits;
import dev.switchboard.domain.payments.ExtendedPublicKey;
import dev.switchboard.domain.payments.PurchaseTerms;
import dev.switchboard.domain.payments.UsdcChain;
import dev.switchboard.domain.payments.UsdcTerms;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The configuration contract, read through MicroProfile Config (every key can be given as an
 * environment variable: {@code SWITCHBOARD_OPERATOR_TOKEN} for {@code switchboard.operator.token}).
 */
@ApplicationScoped
public class SwitchboardSettings {

  @Inject
  @ConfigProperty(name = "switchboard.operator.token")
  Optional<String> operatorToken;

  @Inject
  @ConfigProperty(name = "switchboard.catalog")
  Optional<String> catalogPath;

  /** Where the datasource connects, and as which role (the launcher publishes both). */
  @Inject
  @ConfigProperty(name = "switchboard.db.url")
  String databaseUrl;

  @Inject
  @ConfigProperty(name = "switchboard.db.user")
  String databaseUser;

  @Inject
  @ConfigProperty(name = "switchboard.db.password")
  String databasePassword;

  /** The role that owns the schema and migrates it, when the datasource's is another one. */
  @Inject
  @ConfigProperty(name = "switchboard.db.owner.user")
  Optional<String> databaseOwnerUser;

  @Inject
  @ConfigProperty(name = "switchboard.db.owner.password")
  Optional<String> databaseOwnerPassword;

  @Inject
  @ConfigProperty(name = "switchboard.data.dir", defaultValue = "./switchboard-data")
  String dataDir;

  @Inject
  @ConfigProperty(name = "switchboard.max.body.bytes", defaultValue = "10485760")
  long maxBodyBytes;

  @Inject
  @ConfigProperty(name = "switchboard.max.json.depth", defaultValue = "64")
  int maxJsonDepth;

  /**
   * How long a spend lease outlives its instance (renewed at half that while the instance runs).
   */
  @Inject
  @ConfigProperty(name = "switchboard.lease.seconds", defaultValue = "300")
  long leaseSeconds;

  /** Requests to {@code :free} models an organization may make in a UTC minute. */
  @Inject
  @ConfigProperty(name = "switchboard.free.per.minute", defaultValue = "20")
  int freePerMinute;

  /** ... in a UTC day while it never bought {@code switchboard.free.paid.threshold} of credits. */
  @Inject
  @ConfigProperty(name = "switchboard.free.per.day", defaultValue = "50")
  int freePerDay;

  /** ... in a UTC day once it has. */
  @Inject
  @ConfigProperty(name = "switchboard.free.per.day.paid", defaultValue = "1000")
  int freePerDayPaid;

  /** Credits bought in all (USD) that lift an organization off the free tier. */
  @Inject
  @ConfigProperty(name = "switchboard.free.paid.threshold", defaultValue = "10")
  String freePaidThreshold;

  /** How long a spend lease with nothing in flight is kept for the key's next request. */
  @Inject
  @ConfigProperty(name = "switchboard.lease.idle.millis", defaultValue = "2000")
  long leaseIdleMillis;

  @Inject
  @ConfigProperty(name = "switchboard.upstream.first.byte.seconds", defaultValue = "120")
  long upstreamFirstByteSeconds;

  @Inject
  @ConfigProperty(name = "switchboard.upstream.idle.seconds", defaultValue = "60")
  long upstreamIdleSeconds;

  @Inject
  @ConfigProperty(name = "switchboard.stream.keepalive.millis", defaultValue = "2000")
  long streamKeepAliveMillis;

  /** How long an endpoint's open circuit breaker keeps requests away before it lets probes in. */
  @Inject
  @ConfigProperty(name = "switchboard.breaker.cooldown.seconds", defaultValue = "30")
  long breakerCoolDownSeconds;

  /**
   * Most bytes of an answer that may wait for a client that does not read them; past it the client
   * is cut (and billed for what was produced), so that a slow reader costs memory, never a thread.
   */
  @Inject
  @ConfigProperty(name = "switchboard.client.buffer.bytes", defaultValue = "262144")
  int clientBufferBytes;

  /** How long bytes may wait for a client that takes none of them before the client is cut. */
  @Inject
  @ConfigProperty(name = "switchboard.client.write.timeout.seconds", defaultValue = "30")
  long clientWriteTimeoutSeconds;

  /**
   * Whether the default order spreads first attempts over a model's endpoints by the inverse square
   * of their prices (false: the cheapest first, always).
   */
  @Inject
  @ConfigProperty(name = "switchboard.routing.spread", defaultValue = "true")
  boolean routingSpread;

  /** A seed for the spread's draws, making them repeat from run to run; unset, they are random. */
  @Inject
  @ConfigProperty(name = "switchboard.routing.seed")
  Optional<Long> routingSeed;

  /** Most attempts at providers one request makes, the first included. */
  @Inject
  @ConfigProperty(name = "switchboard.failover.max.attempts", defaultValue = "5")
  int failoverMaxAttempts;

  /**
   * How long after a request arrived a new attempt may still start (failover, or a wait for a
   * provider's Retry-After).
   */
  @Inject
  @ConfigProperty(name = "switchboard.failover.deadline.seconds", defaultValue = "180")
  long failoverDeadlineSeconds;

  /** The SMTP server for outgoing e-mail; unset, e-mails are printed to the log instead. */
  @Inject
  @ConfigProperty(name = "switchboard.smtp.host")
  Optional<String> smtpHost;

  @Inject
  @ConfigProperty(name = "switchboard.smtp.port", defaultValue = "587")
  int smtpPort;

  /** Unset, the SMTP server is used without authentication. */
  @Inject
  @ConfigProperty(name = "switchboard.smtp.user")
  Optional<String> smtpUser;

  @Inject
  @ConfigProperty(name = "switchboard.smtp.password")
  Optional<String> smtpPassword;

  @Inject
  @ConfigProperty(
      name = "switchboard.smtp.from",
      defaultValue = "Switchboard <no-reply@switchboard.local>")
  String smtpFrom;

  @Inject
  @ConfigProperty(name = "switchboard.port", defaultValue = "8080")
  int port;

  /** Where people reach the platform: the base of links in e-mails and of the API in snippets. */
  @Inject
  @ConfigProperty(name = "switchboard.public.url")
  Optional<String> publicUrl;

  /** How long a dashboard sign-in lasts at most, however active the browser is. */
  @Inject
  @ConfigProperty(name = "switchboard.session.hours", defaultValue = "12")
  long sessionHours;

  /** Load balancers whose {@code X-Forwarded-For} is believed: addresses or CIDR ranges. */
  @Inject
  @ConfigProperty(name = "switchboard.trusted.proxies")
  Optional<String> trustedProxies;

  public String trustedProxies() {
    return trustedProxies.orElse("");
  }

  /**
   * The master key that wraps BYOK data keys (base64 of 32 bytes); unset, one is generated into the
   * data directory. Never logged.
   */
  @Inject
  @ConfigProperty(name = "switchboard.master.key")
  Optional<String> masterKey;

  /** During a rotation, the master key being replaced: it still unwraps what is not re-wrapped. */
  @Inject
  @ConfigProperty(name = "switchboard.master.key.previous")
  Optional<String> masterKeyPrevious;

  @Inject
  @ConfigProperty(name = "switchboard.byok.free.requests", defaultValue = "1000000")
  int byokFreeRequests;

  /** Hosts an organization's BYOK base URL may reach although they fail the address rules. */
  @Inject
  @ConfigProperty(name = "switchboard.byok.allowed.hosts")
  Optional<String> byokAllowedHosts;

  public Optional<String> masterKey() {
    return masterKey;
  }

  public Optional<String> masterKeyPrevious() {
    return masterKeyPrevious;
  }

  public Optional<String> byokAllowedHosts() {
    return byokAllowedHosts;
  }

  /**
   * The requests through its own provider keys an organization makes each UTC month before each
   * costs the BYOK fee ({@code SWITCHBOARD_BYOK_FREE_REQUESTS}).
   */
  public int byokFreeRequests() {
    if (byokFreeRequests < 0) {
      throw new IllegalArgumentException("SWITCHBOARD_BYOK_FREE_REQUESTS must be 0 or more");
    }
    return byokFreeRequests;
  }

  /** The OpenID Connect provider (a Keycloak realm's URL) for single sign-on; unset, none. */
  @Inject
  @ConfigProperty(name = "switchboard.oidc.issuer")
  Optional<String> oidcIssuer;

  @Inject
  @ConfigProperty(name = "switchboard.oidc.client.id")
  Optional<String> oidcClientId;

  @Inject
  @ConfigProperty(name = "switchboard.oidc.client.secret")
  Optional<String> oidcClientSecret;

  /** Single sign-on's provider and this platform's client there, when all three are set. */
  public record Oidc(String issuer, String clientId, String clientSecret) {
    @Override
    public String toString() {
      return "Oidc[issuer=" + issuer + ", clientId=" + clientId + "]"; // never the secret
    }
  }

  /** Stripe's secret API key; unset, card purchases are disabled. */
  @Inject
  @ConfigProperty(name = "stripe.secret.key")
  Optional<String> stripeSecretKey;

  /**
   * The webhook endpoint's signing secrets, comma-separated: the current one and, while it is
   * rotated, the one before (both verify until the old one is removed).
   */
  @Inject
  @ConfigProperty(name = "stripe.webhook.secret")
  Optional<String> stripeWebhookSecret;

  /** Where the Stripe SDK sends its calls instead of Stripe's own API: only for tests. */
  @Inject
  @ConfigProperty(name = "switchboard.stripe.api.base")
  Optional<String> stripeApiBase;

  @Inject
  @ConfigProperty(name = "switchboard.stripe.fee.percent", defaultValue = "5.5")
  String stripeFeePercent;

  @Inject
  @ConfigProperty(name = "switchboard.stripe.fee.minimum", defaultValue = "0.80")
  String stripeFeeMinimum;

  @Inject
  @ConfigProperty(name = "switchboard.stripe.purchase.minimum", defaultValue = "5.00")
  String stripePurchaseMinimum;

  @Inject
  @ConfigProperty(name = "switchboard.stripe.purchase.maximum", defaultValue = "10000.00")
  String stripePurchaseMaximum;

  /** How long after it was credited a card purchase can be refunded. */
  @Inject
  @ConfigProperty(name = "switchboard.stripe.refund.window.hours", defaultValue = "24")
  long stripeRefundWindowHours;

  /** How long after it opened a checkout without its webhook is asked about at Stripe. */
  @Inject
  @ConfigProperty(name = "switchboard.stripe.reconcile.after.seconds", defaultValue = "900")
  long stripeReconcileAfterSeconds;

  /** How long bought credits last before what is left of them expires. */
  @Inject
  @ConfigProperty(name = "switchboard.credit.lifetime.days", defaultValue = "365")
  long creditLifetimeDays;

  /** How long before bought credits expire the organization's owners and billing are mailed. */
  @Inject
  @ConfigProperty(name = "switchboard.credit.expiry.warning.days", defaultValue = "30")
  long creditExpiryWarningDays;

  /** How long bought credits last (at least a day). */
  public Duration creditLifetime() {
    return Duration.ofDays(Math.max(1, creditLifetimeDays));
  }

  /** How long before they expire credits are warned of: less than their lifetime. */
  public Duration creditExpiryWarning() {
    return Duration.ofDays(
        Math.max(0, Math.min(creditExpiryWarningDays, creditLifetime().toDays() - 1)));
  }

  public Duration stripeRefundWindow() {
    return Duration.ofHours(Math.max(0, stripeRefundWindowHours));
  }

  public Duration stripeReconcileAfter() {
    return Duration.ofSeconds(Math.max(0, stripeReconcileAfterSeconds));
  }

  /** Card purchases through Stripe: the secret key, the webhook secrets and the API base. */
  public record Stripe(String secretKey, List<String> webhookSecrets, Optional<String> apiBase) {
    @Override
    public String toString() {
      return "Stripe[apiBase=" + apiBase.orElse("default") + "]"; // never a secret
    }
  }

  /**
   * Stripe's settings; empty (card purchases disabled) unless both the secret key and at least one
   * webhook secret are set.
   */
  public Optional<Stripe> stripe() {
    Optional<String> key = stripeSecretKey.map(String::strip).filter(text -> !text.isEmpty());
    List<String> secrets =
        stripeWebhookSecret.stream()
            .flatMap(text -> Arrays.stream(text.split(",")))
            .map(String::strip)
            .filter(text -> !text.isEmpty())
            .toList();
    if (key.isEmpty() || secrets.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Stripe(
            key.get(), secrets, stripeApiBase.map(String::strip).filter(text -> !text.isEmpty())));
  }

  /** The fee and limits of card purchases. */
  public PurchaseTerms purchaseTerms() {
    return PurchaseTerms.parse(
        stripeFeePercent, stripeFeeMinimum, stripePurchaseMinimum, stripePurchaseMaximum);
  }

  /** The account that sees the dashboard's Operator page (all organizations). */
  @Inject
  @ConfigProperty(name = "switchboard.admin.email")
  Optional<String> adminEmail;

  /** Whether the account with this (verified) address is the platform's operator. */
  public boolean isOperator(String email, boolean verified) {
    return verified
        && adminEmail
            .map(String::strip)
            .filter(admin -> !admin.isEmpty())
            .map(admin -> admin.equalsIgnoreCase(email))
            .orElse(false);
  }

  /**
   * The database's owner, who migrates the schema and grants the application's role its privileges;
   * none when the application connects as the owner itself.
   */
  public Optional<DatabaseOwner> databaseOwner() {
    return databaseOwnerUser
        .filter(owner -> !owner.equals(databaseUser))
        .map(owner -> new DatabaseOwner(databaseUrl, owner, databaseOwnerPassword.orElse("")));
  }

  /** The role the application connects as. */
  public String databaseUser() {
    return databaseUser;
  }

  /**
   * Where and as whom the application connects, for the one connection it keeps outside the pool
   * (the key-change listener).
   */
  public DatabaseLogin applicationDatabase() {
    return new DatabaseLogin(databaseUrl, databaseUser, databasePassword);
  }

  /** How to connect as the application's role; its password stays out of {@code toString}. */
  public record DatabaseLogin(String url, String user, String password) {
    @Override
    public String toString() {
      return "DatabaseLogin[" + user + " at " + url + "]";
    }
  }

  /** How to connect as the schema's owner; its password stays out of {@code toString}. */
  public record DatabaseOwner(String url, String user, String password) {
    @Override
    public String toString() {
      return "DatabaseOwner[" + user + " at " + url + "]";
    }
  }

  public Optional<String> operatorToken() {
    return operatorToken.filter(token -> !token.isBlank());
  }

  public Optional<String> catalogPath() {
    return catalogPath.filter(path -> !path.isBlank());
  }

  public String dataDir() {
    return dataDir;
  }

  public long maxBodyBytes() {
    return maxBodyBytes;
  }

  public int maxJsonDepth() {
    return maxJsonDepth;
  }

  /** The free tier's quotas ({@code SWITCHBOARD_FREE_*}). */
  public FreeTier freeTier() {
    try {
      return new FreeTier(
          freePerMinute, freePerDay, freePerDayPaid, Credits.ofUsd(freePaidThreshold.strip()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("SWITCHBOARD_FREE_*: " + e.getMessage(), e);
    }
  }

  public long leaseSeconds() {
    return leaseSeconds;
  }

  public long leaseIdleMillis() {
    return leaseIdleMillis;
  }

  /** How long a provider may take to start answering. */
  public long upstreamFirstByteSeconds() {
    return upstreamFirstByteSeconds;
  }

  /** How long a provider's stream may go silent before it counts as stalled. */
  public long upstreamIdleSeconds() {
    return upstreamIdleSeconds;
  }

  public boolean routingSpread() {
    return routingSpread;
  }

  public Optional<Long> routingSeed() {
    return routingSeed;
  }

  public int failoverMaxAttempts() {
    return failoverMaxAttempts;
  }

  public long failoverDeadlineSeconds() {
    return failoverDeadlineSeconds;
  }

  /** How often a waiting stream gets a {@code : SWITCHBOARD PROCESSING} comment. */
  public long breakerCoolDownSeconds() {
    return breakerCoolDownSeconds;
  }

  public int clientBufferBytes() {
    return clientBufferBytes;
  }

  public long clientWriteTimeoutSeconds() {
    return clientWriteTimeoutSeconds;
  }

  public long streamKeepAliveMillis() {
    return streamKeepAliveMillis;
  }

  public Optional<String> smtpHost() {
    return smtpHost.map(String::strip).filter(host -> !host.isEmpty());
  }

  public int smtpPort() {
    return smtpPort;
  }

  public Optional<String> smtpUser() {
    return smtpUser.filter(user -> !user.isBlank());
  }

  public Optional<String> smtpPassword() {
    return smtpPassword.filter(password -> !password.isEmpty());
  }

  /** The sender of outgoing e-mail, with or without a display name. */
  public String smtpFrom() {
    return smtpFrom;
  }

  /** The configured public URL without a trailing slash, else this instance's loopback address. */
  public String publicUrl() {
    String url =
        publicUrl.filter(text -> !text.isBlank()).orElse("http://127.0.0.1:" + port).strip();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /**
   * Single sign-on's settings; empty (local accounts only) unless issuer, id and secret are set.
   */
  public Optional<Oidc> oidc() {
    Optional<String> issuer = oidcIssuer.map(String::strip).filter(text -> !text.isEmpty());
    Optional<String> clientId = oidcClientId.map(String::strip).filter(text -> !text.isEmpty());
    Optional<String> secret = oidcClientSecret.filter(text -> !text.isEmpty());
    if (issuer.isEmpty() || clientId.isEmpty() || secret.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Oidc(issuer.get(), clientId.get(), secret.get()));
  }

  public long sessionHours() {
    return sessionHours;
  }

  /** The chain's JSON-RPC endpoint; unset, USDC purchases are disabled. */
  @Inject
  @ConfigProperty(name = "switchboard.crypto.rpc.url")
  Optional<String> cryptoRpcUrl;

  @Inject
  @ConfigProperty(name = "switchboard.crypto.token.address")
  Optional<String> cryptoTokenAddress;

  /** The operator's extended public key, from which deposit addresses are derived. */
  @Inject
  @ConfigProperty(name = "switchboard.crypto.xpub")
  Optional<String> cryptoXpub;

  @Inject
  @ConfigProperty(name = "switchboard.crypto.confirmations", defaultValue = "12")
  int cryptoConfirmations;

  @Inject
  @ConfigProperty(name = "switchboard.crypto.fee.percent", defaultValue = "5")
  String cryptoFeePercent;

  @Inject
  @ConfigProperty(name = "switchboard.crypto.expiry.minutes", defaultValue = "60")
  long cryptoExpiryMinutes;

  @Inject
  @ConfigProperty(name = "switchboard.crypto.poll.millis", defaultValue = "15000")
  long cryptoPollMillis;

  /**
   * USDC purchases: where the chain is read, the token, the deposit key, the confirmations, the
   * terms and the watcher's interval.
   */
  public record Crypto(
      String rpcUrl,
      String tokenAddress,
      ExtendedPublicKey depositKey,
      int confirmations,
      UsdcTerms terms,
      Duration pollInterval) {
    @Override
    public String toString() {
      // the RPC URL often carries a provider's API key in its path: its host only
      return "Crypto[rpc="
          + java.net.URI.create(rpcUrl).getHost()
          + ", token="
          + tokenAddress
          + ", confirmations="
          + confirmations
          + "]";
    }
  }

  /**
   * The USDC settings; empty (USDC purchases disabled) unless the RPC URL is set.
   *
   * @throws IllegalArgumentException when the RPC URL is set but the token address or extended
   *     public key is missing or invalid, or a number is out of range: a misconfigured platform
   *     does not start
   */
  public Optional<Crypto> crypto() {
    Optional<String> url = cryptoRpcUrl.map(String::strip).filter(text -> !text.isEmpty());
    if (url.isEmpty()) {
      return Optional.empty();
    }
    String token =
        cryptoTokenAddress
            .map(String::strip)
            .filter(text -> !text.isEmpty())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "SWITCHBOARD_CRYPTO_RPC_URL is set: set SWITCHBOARD_CRYPTO_TOKEN_ADDRESS"
                            + " too"));
    String xpub =
        cryptoXpub
            .map(String::strip)
            .filter(text -> !text.isEmpty())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "SWITCHBOARD_CRYPTO_RPC_URL is set: set SWITCHBOARD_CRYPTO_XPUB too"));
    if (cryptoConfirmations < 1) {
      throw new IllegalArgumentException("SWITCHBOARD_CRYPTO_CONFIRMATIONS is 1 or more");
    }
    if (cryptoExpiryMinutes < 1 || cryptoPollMillis < 100) {
      throw new IllegalArgumentException(
          "SWITCHBOARD_CRYPTO_EXPIRY_MINUTES is 1 or more, SWITCHBOARD_CRYPTO_POLL_MILLIS 100 or"
              + " more");
    }
    try {
      return Optional.of(
          new Crypto(
              java.net.URI.create(url.get()).toString(),
              UsdcChain.normalizeAddress(token),
              ExtendedPublicKey.parse(xpub),
              cryptoConfirmations,
              UsdcTerms.STANDARD
                  .withFeePercent(cryptoFeePercent)
                  .withValidity(Duration.ofMinutes(cryptoExpiryMinutes)),
              Duration.ofMillis(cryptoPollMillis)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("USDC purchase settings: " + e.getMessage(), e);
    }
  }
}
