package dev.switchboard.simulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A simulator on a free loopback port for the test class, and a client for it. (The fields are
 * shared by the subclasses: test classes run one after another, each with a simulator of its own.)
 */
abstract class SimulatorTest {

  static ProviderSimulator simulator;
  static SimClient client;

  @BeforeAll
  static void startSimulator() {
    simulator = ProviderSimulator.start("127.0.0.1", 0);
    client = new SimClient(simulator);
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close();
  }
}
