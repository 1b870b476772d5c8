package dev.switchboard.webui.e2e;

import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteAlias;
import dev.switchboard.api.rest.SwitchboardApi;
import dev.switchboard.webui.ui.MainLayout;
import jakarta.servlet.annotation.WebServlet;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * What the application serves, read off its own classes (the api jar and the web-ui classes the
 * runnable jar is built from): every JAX-RS endpoint as {@code "GET /api/v1/keys/{hash}"}, every
 * servlet path as {@code "POST /api/v1/chat/completions"}, and every dashboard route. A test that
 * must cover each of them compares its cases with these sets, so a new endpoint or page without a
 * case fails the build.
 */
final class ApplicationSurface {

  private ApplicationSurface() {}

  /** JAX-RS resource methods and servlets (taken as answering POST), under their full paths. */
  static Set<String> httpEndpoints() {
    String base = SwitchboardApi.class.getAnnotation(ApplicationPath.class).value();
    Set<String> endpoints = new TreeSet<>();
    for (Class<?> type : classesBeside(SwitchboardApi.class)) {
      Path resource = type.getAnnotation(Path.class);
      if (resource != null) {
        for (Method method : type.getMethods()) {
          String verb = httpMethod(method);
          if (verb != null) {
            Path sub = method.getAnnotation(Path.class);
            endpoints.add(
                verb + " " + join(base, resource.value(), sub == null ? "" : sub.value()));
          }
        }
      }
      WebServlet servlet = type.getAnnotation(WebServlet.class);
      if (servlet != null) {
        for (String pattern : servlet.urlPatterns()) {
          endpoints.add("POST " + pattern);
        }
      }
    }
    return endpoints;
  }

  /**
   * Dashboard routes and their aliases, as Vaadin declares them ({@code "models/:author/:slug"}).
   */
  static Set<String> dashboardRoutes() {
    Set<String> routes = new TreeSet<>();
    for (Class<?> type : classesBeside(MainLayout.class)) {
      Route route = type.getAnnotation(Route.class);
      if (route != null) {
        routes.add(route.value());
      }
      for (RouteAlias alias : type.getAnnotationsByType(RouteAlias.class)) {
        routes.add(alias.value());
      }
    }
    return routes;
  }

  private static String httpMethod(Method method) {
    for (Annotation annotation : method.getAnnotations()) {
      HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
      if (verb != null) {
        return verb.value();
      }
    }
    return null;
  }

  private static String join(String... parts) {
    StringBuilder path = new StringBuilder();
    for (String part : parts) {
      String trimmed = part.replaceAll("^/+|/+$", "");
      if (!trimmed.isEmpty()) {
        path.append('/').append(trimmed);
      }
    }
    return path.toString();
  }

  /** Every class of {@code dev.switchboard} in the jar or directory that holds {@code anchor}. */
  private static List<Class<?>> classesBeside(Class<?> anchor) {
    java.nio.file.Path root;
    try {
      root = Paths.get(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<String> names = new ArrayList<>();
    try {
      if (Files.isDirectory(root)) {
        try (Stream<java.nio.file.Path> files = Files.walk(root)) {
          files.map(f -> root.relativize(f).toString().replace('\\', '/')).forEach(names::add);
        }
      } else {
        try (JarFile jar = new JarFile(root.toFile())) {
          for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            names.add(entries.nextElement().getName());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Class<?>> classes = new ArrayList<>();
    for (String name : names) {
      if (name.startsWith("dev/switchboard/") && name.endsWith(".class") && !name.contains("$")) {
        String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        try {
          classes.add(Class.forName(className, false, anchor.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
          throw new IllegalStateException("cannot read " + className, e);
        }
      }
    }
    return classes;
  }
}
