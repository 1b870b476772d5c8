package dev.switchboard.simulator;

import java.util.concurrent.CountDownLatch;

/**
 * Standalone entry point: {@code java -jar switchboard-simulator.jar --port 18080 [--bind
 * 127.0.0.1]}. Runs until SIGTERM / Ctrl-C, which closes the simulator through a shutdown hook.
 */
public final class SimulatorMain {
  private SimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = 18080;
    String bind = "127.0.0.1";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port":
          port = Integer.parseInt(valueAfter(args, i++));
          break;
        case "--bind":
          bind = valueAfter(args, i++);
          break;
        case "--help":
        case "-h":
          System.out.println(
              "usage: java -jar switchboard-simulator.jar [--port 18080] [--bind 127.0.0.1]");
          return;
        default:
          System.err.println("unknown argument: " + args[i]);
          System.exit(2);
      }
    }
    ProviderSimulator simulator = ProviderSimulator.start(bind, port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.close();
                  stopped.countDown();
                },
                "simulator-shutdown"));
    System.out.println("simulator listening on " + simulator.baseUrl());
    stopped.await();
  }

  private static String valueAfter(String[] args, int i) {
    if (i + 1 >= args.length) {
      System.err.println("missing value for " + args[i]);
      System.exit(2);
    }
    return args[i + 1];
  }
}
