package dev.switchboard.domain.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The permission table in {@code docs/permissions.md} says exactly what {@link Role#can} does. */
class PermissionTableTest {

  private static final Path TABLE = Path.of("..", "docs", "permissions.md");
  private static final Pattern NAME = Pattern.compile("\\(`([A-Z_]+)`\\)");

  @Test
  void everyCellOfTheDocumentedTableMatchesTheRoles() throws IOException {
    List<String> rows =
        Files.readAllLines(TABLE).stream().filter(line -> line.startsWith("| ")).toList();
    List<String> header = cells(rows.get(0));
    assertThat(header.subList(1, header.size()))
        .containsExactlyElementsOf(Arrays.stream(Role.values()).map(Role::wireName).toList());

    Set<Permission> documented = EnumSet.noneOf(Permission.class);
    for (String row : rows.subList(1, rows.size())) {
      List<String> cells = cells(row);
      Matcher name = NAME.matcher(cells.get(0));
      assertThat(name.find()).as("permission name in: " + row).isTrue();
      Permission permission = Permission.valueOf(name.group(1));
      assertThat(documented.add(permission)).as(permission + " listed once").isTrue();
      for (Role role : Role.values()) {
        String cell = cells.get(1 + role.ordinal());
        assertThat(cell).as(permission + " for " + role.wireName()).isIn("yes", "no");
        assertThat(cell.equals("yes"))
            .as(permission + " for " + role.wireName())
            .isEqualTo(role.can(permission));
      }
    }
    assertThat(documented)
        .as("every permission is in the table")
        .hasSize(Permission.values().length);
  }

  private static List<String> cells(String row) {
    String inner = row.strip().substring(1, row.strip().length() - 1);
    return Arrays.stream(inner.split("\\|")).map(String::strip).toList();
  }
}
