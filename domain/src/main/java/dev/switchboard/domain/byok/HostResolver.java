package dev.switchboard.domain.byok;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a host name into its addresses: the system's resolver, or a table in tests. */
@FunctionalInterface
public interface HostResolver {

  HostResolver SYSTEM = InetAddress::getAllByName;

  InetAddress[] resolve(String host) throws UnknownHostException;
}
