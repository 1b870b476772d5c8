package dev.switchboard.api.rest;

import dev.switchboard.api.http.ApiException;
import dev.switchboard.api.http.ErrorBody;
import dev.switchboard.domain.DataAccessException;
import dev.switchboard.domain.accounts.AccountRefusedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Every failure of a REST resource becomes the one error shape; nothing leaks a stack trace. */
public final class ErrorMappers {

  private static final Logger LOG = Logger.getLogger(ErrorMappers.class.getName());

  private ErrorMappers() {}

  static Response response(ApiException e) {
    Response.ResponseBuilder response =
        Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(ErrorBody.of(e));
    e.headers().forEach(response::header);
    return response.build();
  }

  /** Answers a refused request. */
  @Provider
  public static class ApiErrors implements ExceptionMapper<ApiException> {
    @Override
    public Response toResponse(ApiException e) {
      return response(e);
    }
  }

  /** An account or organization change the domain refused: its reason says the status. */
  @Provider
  public static class AccountRefusals implements ExceptionMapper<AccountRefusedException> {
    @Override
    public Response toResponse(AccountRefusedException e) {
      int status =
          switch (e.reason()) {
            case INVALID -> 400;
            case NOT_FOUND -> 404;
            case FORBIDDEN -> 403;
            case CONFLICT -> 409;
          };
      return response(new ApiException(status, e.getMessage()));
    }
  }

  /** Unknown paths (404), wrong methods (405), unsupported media types (415) and the like. */
  @Provider
  public static class HttpErrors implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      int status = e.getResponse().getStatus();
      String message =
          switch (status) {
            case 404 -> "Not found";
            case 405 -> "Method not allowed";
            case 406 -> "Not acceptable: this endpoint answers application/json";
            case 415 -> "Unsupported media type: send application/json";
            default -> status >= 500 ? "Internal error" : "Bad request";
          };
      if (status >= 500) {
        LOG.log(Level.SEVERE, "request failed", e);
      }
      return response(new ApiException(status, message));
    }
  }

  /** The database is down or refused: answer 503 so clients retry, and log it. */
  @Provider
  public static class DatabaseErrors implements ExceptionMapper<DataAccessException> {
    @Override
    public Response toResponse(DataAccessException e) {
      LOG.log(Level.SEVERE, "database failure", e);
      return response(
          new ApiException(
              503, "Service temporarily unavailable", Map.of(), Map.of("Retry-After", "1")));
    }
  }

  /** A bug: logged with its stack trace here, answered without it. */
  @Provider
  public static class Unexpected implements ExceptionMapper<RuntimeException> {
    @Override
    public Response toResponse(RuntimeException e) {
      if (e instanceof ApiException api) {
        return response(api);
      }
      if (e instanceof WebApplicationException web) {
        return new HttpErrors().toResponse(web);
      }
      if (e instanceof AccountRefusedException refused) {
        return new AccountRefusals().toResponse(refused);
      }
      if (e instanceof DataAccessException data) {
        return new DatabaseErrors().toResponse(data);
      }
      LOG.log(Level.SEVERE, "unexpected failure", e);
      return response(new ApiException(500, "Internal error"));
    }
  }
}
