package io.troupe.persistence.registry;

/** The job registry of a node on the memory journal: its admission counts this node only. */
final class MemoryJobRegistryTest extends JobRegistryContract {

  @Override
  String persistence() {
    return "troupe.persistence.journal = memory";
  }

  /** Each node on the memory journal has a registry of its own. */
  @Override
  boolean shared() {
    return false;
  }
}
