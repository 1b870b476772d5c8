package dev.switchboard.webui.ui;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.mock.MockService;
import com.github.mvysny.kaributesting.v10.mock.MockVaadinServlet;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasElement;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.di.Instantiator;
import com.vaadin.flow.function.DeploymentConfiguration;
import com.vaadin.flow.i18n.I18NProvider;
import com.vaadin.flow.router.NavigationEvent;
import com.vaadin.flow.server.DependencyFilter;
import com.vaadin.flow.server.ServiceException;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinServletContext;
import com.vaadin.flow.server.VaadinServletService;
import com.vaadin.flow.server.auth.MenuAccessControl;
import com.vaadin.flow.server.communication.IndexHtmlRequestListener;
import dev.switchboard.api.catalog.CatalogService;
import dev.switchboard.domain.routing.health.BreakerPolicy;
import dev.switchboard.domain.routing.health.EndpointHealth;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import java.util.stream.Stream;

/**
 * The dashboard in Karibu-Testing's mocked Vaadin, without a browser or a server. Views are built
 * as CDI builds them in production, through their {@code @Inject} constructor, here given a test
 * catalog service and the endpoints' health.
 */
public final class MockDashboard {

  private MockDashboard() {}

  public static void start(CatalogService catalogService) {
    start(catalogService, new EndpointHealth(Clock.systemUTC(), BreakerPolicy.DEFAULT));
  }

  public static void start(CatalogService catalogService, EndpointHealth health) {
    Routes routes = new Routes().autoDiscoverViews("dev.switchboard.webui.ui");
    MockVaadin.setup(UI::new, new Servlet(routes, catalogService, health));
  }

  public static void stop() {
    MockVaadin.tearDown();
  }

  private static final class Servlet extends MockVaadinServlet {
    private final transient CatalogService catalogService;
    private final transient EndpointHealth health;

    Servlet(Routes routes, CatalogService catalogService, EndpointHealth health) {
      super(routes);
      this.catalogService = catalogService;
      this.health = health;
    }

    @Override
    protected VaadinServletService createServletService(DeploymentConfiguration configuration)
        throws ServiceException {
      VaadinServletService service =
          new MockService(this, configuration, UI::new) {
            @Override
            public Instantiator getInstantiator() {
              return new InjectingInstantiator(super.getInstantiator(), catalogService, health);
            }
          };
      service.init();
      getRoutes().register((VaadinServletContext) service.getContext());
      return service;
    }
  }

  /**
   * Calls a class's constructor that takes a {@link CatalogService} (and the {@link
   * EndpointHealth}), if it has one; else delegates.
   */
  private record InjectingInstantiator(
      Instantiator delegate, CatalogService catalogService, EndpointHealth health)
      implements Instantiator {

    @Override
    public <T> T getOrCreate(Class<T> type) {
      try {
        try {
          Constructor<T> constructor =
              type.getConstructor(CatalogService.class, EndpointHealth.class);
          return constructor.newInstance(catalogService, health);
        } catch (NoSuchMethodException withoutHealth) {
          Constructor<T> constructor = type.getConstructor(CatalogService.class);
          return constructor.newInstance(catalogService);
        }
      } catch (NoSuchMethodException e) {
        return delegate.getOrCreate(type);
      } catch (InvocationTargetException e) {
        throw e.getCause() instanceof RuntimeException cause
            ? cause
            : new IllegalStateException(e.getCause());
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public <T extends HasElement> T createRouteTarget(Class<T> type, NavigationEvent event) {
      return getOrCreate(type);
    }

    @Override
    public <T extends Component> T createComponent(Class<T> type) {
      return getOrCreate(type);
    }

    @Override
    public Stream<VaadinServiceInitListener> getServiceInitListeners() {
      return delegate.getServiceInitListeners();
    }

    @Override
    public Stream<IndexHtmlRequestListener> getIndexHtmlRequestListeners(
        Stream<IndexHtmlRequestListener> listeners) {
      return delegate.getIndexHtmlRequestListeners(listeners);
    }

    @Override
    public Stream<DependencyFilter> getDependencyFilters(Stream<DependencyFilter> filters) {
      return delegate.getDependencyFilters(filters);
    }

    @Override
    public I18NProvider getI18NProvider() {
      return delegate.getI18NProvider();
    }

    @Override
    public MenuAccessControl getMenuAccessControl() {
      return delegate.getMenuAccessControl();
    }
  }
}
