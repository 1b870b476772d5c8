package dev.switchboard.api.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Parses request bodies with limits, so hostile input gets a 400 rather than a stack overflow or a
 * 500: nesting depth, number length, duplicate keys, invalid UTF-8, non-finite numbers ({@code
 * NaN}), trailing content, and anything but a JSON object at the top.
 */
public final class RequestBodyParser {

  private final ObjectMapper mapper;
  private final int maxDepth;

  public RequestBodyParser(int maxDepth) {
    this.maxDepth = maxDepth;
    this.mapper = Json.MAPPER.copy();
    this.mapper
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(maxDepth)
                .maxNumberLength(100)
                .maxStringLength(Integer.MAX_VALUE)
                .build());
  }

  public JsonNode parseObject(byte[] body) {
    JsonNode root;
    try (JsonParser parser = mapper.getFactory().createParser(body)) {
      root = mapper.readTree(parser);
      if (parser.nextToken() != null) {
        throw ApiException.badRequest("Request body has content after the JSON value");
      }
    } catch (StreamConstraintsException e) {
      throw ApiException.badRequest(
          "Request body is nested more than "
              + maxDepth
              + " levels deep or holds an oversized number");
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("Request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badRequest("Request body could not be read");
    }
    if (root == null || !root.isObject()) {
      throw ApiException.badRequest("Request body must be a JSON object");
    }
    return root;
  }
}
