package dev.switchboard.webui.e2e;

import static dev.switchboard.webui.e2e.ErrorShape.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.domain.accounts.User;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The members and workspaces API against the built jar, called with a management key (which acts as
 * an admin of its own organization): invite, list, change a role, remove; create workspaces and put
 * keys in them; and nothing of another organization can be seen or touched.
 */
@ExtendWith(SwitchboardExtension.class)
class MembersApiIT {

  @Test
  void aManagementKeyInvitesChangesAndRemovesMembers(RunningSwitchboard switchboard) {
    Tenant team = Tenant.withCredits(switchboard, "0");
    String email = "ada-" + UUID.randomUUID() + "@example.com";
    People people = new People(switchboard);
    User ada = people.verified(email);
    assertThat(data(switchboard.get("/api/v1/organization/members", team.managementKey())))
        .isEmpty();

    HttpResponse<String> invited =
        switchboard.post(
            "/api/v1/organization/invitations",
            team.managementKey(),
            "{\"email\":\"" + email.toUpperCase() + "\",\"role\":\"admin\"}",
            Map.of());
    assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
    JsonNode invitation = ExactJson.parse(invited.body()).path("data");
    assertThat(invitation.path("email").asText()).isEqualTo(email);
    assertThat(invitation.path("role").asText()).isEqualTo("admin");
    assertThat(invitation.path("invited_by").asText()).startsWith("the API key ");
    assertThat(invited.body()).doesNotContain("token");
    assertThat(data(switchboard.get("/api/v1/organization/invitations", team.managementKey())))
        .extracting(i -> i.path("email").asText())
        .containsExactly(email);

    people.acceptInvitation(ada);
    List<JsonNode> members =
        data(switchboard.get("/api/v1/organization/members", team.managementKey()));
    assertThat(members).hasSize(1);
    assertThat(members.get(0).path("id").asText()).isEqualTo(ada.id().value().toString());
    assertThat(members.get(0).path("email").asText()).isEqualTo(email);
    assertThat(members.get(0).path("role").asText()).isEqualTo("admin");
    assertThat(data(switchboard.get("/api/v1/organization/invitations", team.managementKey())))
        .isEmpty();

    String member = "/api/v1/organization/members/" + ada.id().value();
    HttpResponse<String> changed =
        switchboard.patch(member, team.managementKey(), "{\"role\":\"billing\"}");
    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    assertThat(ExactJson.parse(changed.body()).path("data").path("role").asText())
        .isEqualTo("billing");
    assertError(
        switchboard.patch(member, team.managementKey(), "{\"role\":\"owner\"}"),
        403,
        "a management key makes an owner");
    assertError(
        switchboard.patch(member, team.managementKey(), "{\"role\":\"emperor\"}"),
        400,
        "a role that does not exist");

    // ada's key goes to bob when she is removed, and keeps working
    String adasKey = people.keyCreatedBy(ada, team.id());
    String bobEmail = "bob-" + UUID.randomUUID() + "@example.com";
    User bob = people.verified(bobEmail);
    switchboard.post(
        "/api/v1/organization/invitations",
        team.managementKey(),
        "{\"email\":\"" + bobEmail + "\",\"role\":\"member\"}",
        Map.of());
    people.acceptInvitation(bob);
    assertError(
        switchboard.delete(member + "?reassign_keys_to=" + UUID.randomUUID(), team.managementKey()),
        404,
        "keys given to nobody");
    HttpResponse<String> removed =
        switchboard.delete(member + "?reassign_keys_to=" + bob.id().value(), team.managementKey());
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    JsonNode removal = ExactJson.parse(removed.body());
    assertThat(removal.path("deleted").asBoolean()).isTrue();
    assertThat(removal.path("disabled_keys")).isEmpty();
    assertThat(removal.path("reassigned_keys")).hasSize(1);
    assertThat(switchboard.get("/api/v1/key", adasKey).statusCode()).isEqualTo(200);
    assertThat(data(switchboard.get("/api/v1/organization/members", team.managementKey())))
        .extracting(m -> m.path("email").asText())
        .containsExactly(bobEmail);
    assertError(switchboard.delete(member, team.managementKey()), 404, "removed twice");
  }

  @Test
  void workspacesAreListedCreatedAndHoldTheKeysPutInThem(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "0");
    List<JsonNode> initial = data(switchboard.get("/api/v1/workspaces", tenant.managementKey()));
    assertThat(initial).extracting(w -> w.path("name").asText()).containsExactly("Default");
    assertThat(initial.get(0).path("is_default").asBoolean()).isTrue();

    HttpResponse<String> created =
        switchboard.post(
            "/api/v1/workspaces", tenant.managementKey(), "{\"name\":\"Research\"}", Map.of());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    String research = ExactJson.parse(created.body()).path("data").path("id").asText();
    assertError(
        switchboard.post(
            "/api/v1/workspaces", tenant.managementKey(), "{\"name\":\"research\"}", Map.of()),
        409,
        "a second workspace of the same name");
    HttpResponse<String> read =
        switchboard.get("/api/v1/workspaces/" + research, tenant.managementKey());
    assertThat(ExactJson.parse(read.body()).path("data").path("name").asText())
        .isEqualTo("Research");

    HttpResponse<String> key =
        switchboard.post(
            "/api/v1/keys",
            tenant.managementKey(),
            "{\"name\":\"lab\",\"workspace_id\":\"" + research + "\"}",
            Map.of());
    assertThat(key.statusCode()).as(key.body()).isEqualTo(201);
    assertThat(ExactJson.parse(key.body()).path("data").path("workspace_id").asText())
        .isEqualTo(research);
    HttpResponse<String> plain =
        switchboard.post("/api/v1/keys", tenant.managementKey(), "{\"name\":\"ops\"}", Map.of());
    assertThat(ExactJson.parse(plain.body()).path("data").path("workspace_id").asText())
        .isEqualTo(initial.get(0).path("id").asText());
  }

  @Test
  void anotherOrganizationsMembersAndWorkspacesDoNotExistForTheCaller(
      RunningSwitchboard switchboard) {
    Tenant ours = Tenant.withCredits(switchboard, "0");
    Tenant theirs = Tenant.withCredits(switchboard, "0");
    String email = "grace-" + UUID.randomUUID() + "@example.com";
    People people = new People(switchboard);
    User grace = people.verified(email);
    switchboard.post(
        "/api/v1/organization/invitations",
        theirs.managementKey(),
        "{\"email\":\"" + email + "\",\"role\":\"member\"}",
        Map.of());
    people.acceptInvitation(grace);
    String theirWorkspace =
        data(switchboard.get("/api/v1/workspaces", theirs.managementKey()))
            .get(0)
            .path("id")
            .asText();
    Map<String, Long> before = switchboard.tableRowCounts();

    String theirMember = "/api/v1/organization/members/" + grace.id().value();
    assertError(
        switchboard.patch(theirMember, ours.managementKey(), "{\"role\":\"admin\"}"),
        404,
        "PATCH another organization's member");
    assertError(
        switchboard.delete(theirMember, ours.managementKey()),
        404,
        "DELETE another organization's member");
    assertError(
        switchboard.get("/api/v1/workspaces/" + theirWorkspace, ours.managementKey()),
        404,
        "GET another organization's workspace");
    assertError(
        switchboard.post(
            "/api/v1/keys",
            ours.managementKey(),
            "{\"name\":\"sneaky\",\"workspace_id\":\"" + theirWorkspace + "\"}",
            Map.of()),
        404,
        "a key in another organization's workspace");
    assertThat(data(switchboard.get("/api/v1/organization/members", ours.managementKey())))
        .isEmpty();
    assertThat(data(switchboard.get("/api/v1/workspaces", ours.managementKey())))
        .extracting(w -> w.path("id").asText())
        .doesNotContain(theirWorkspace);

    assertThat(switchboard.tableRowCounts()).isEqualTo(before);
    assertThat(data(switchboard.get("/api/v1/organization/members", theirs.managementKey())))
        .extracting(m -> m.path("role").asText())
        .containsExactly("member");
  }

  @Test
  void badRequestsAreRefusedInTheErrorShapeAndChangeNothing(RunningSwitchboard switchboard) {
    Tenant tenant = Tenant.withCredits(switchboard, "0");
    HttpResponse<String> ordinary =
        switchboard.post("/api/v1/keys", tenant.managementKey(), "{\"name\":\"app\"}", Map.of());
    String inferenceKey = ExactJson.parse(ordinary.body()).path("key").asText();
    Map<String, Long> before = switchboard.tableRowCounts();
    String invitations = "/api/v1/organization/invitations";

    for (String body :
        List.of(
            "",
            "[]",
            "{\"email\":",
            "{\"role\":\"member\"}",
            "{\"email\":\"not an address\",\"role\":\"member\"}",
            "{\"email\":\"x@example.com\",\"role\":\"Member\"}",
            "{\"email\":\"x@example.com\",\"role\":\"member\",\"token\":\"x\"}",
            "{\"email\":\"" + "x".repeat(10_000) + "@example.com\",\"role\":\"member\"}")) {
      assertError(
          switchboard.post(invitations, tenant.managementKey(), body, Map.of()),
          400,
          "invite " + ExactJson.abbreviate(body));
    }
    for (String body :
        List.of("{}", "{\"name\":\"\"}", "{\"name\":\"<script>x</script>\"}", "{\"name\":7}")) {
      assertError(
          switchboard.post("/api/v1/workspaces", tenant.managementKey(), body, Map.of()),
          400,
          "workspace " + body);
    }
    assertError(
        switchboard.patch(
            "/api/v1/organization/members/not-a-uuid",
            tenant.managementKey(),
            "{\"role\":\"admin\"}"),
        404,
        "a member id that is no id");
    assertError(
        switchboard.get("/api/v1/organization/members", inferenceKey),
        403,
        "an inference key on the members API");
    assertError(switchboard.get("/api/v1/organization/members", null), 401, "no key");
    assertError(
        switchboard.post(invitations, "sk-sb-v1-nonsense", "{}", Map.of()), 401, "a bad key");

    assertThat(switchboard.tableRowCounts()).isEqualTo(before);
  }

  private static List<JsonNode> data(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    ExactJson.parse(response.body()).path("data").forEach(items::add);
    return items;
  }
}
