package dev.switchboard.domain.routing.health;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters per minute for the last {@code minutes} minutes: a ring of slots, each a row of {@code
 * width} longs, that a slot's first writer of a new minute clears. Lock-free: writers add
 * atomically; the clearing of a slot is claimed by one writer, which the others wait out for the
 * few nanoseconds it takes (this happens once a minute per slot).
 */
final class MinuteRing {

  private static final long CLEARING = Long.MIN_VALUE;
  private static final long NEVER = -1;

  private final int minutes;
  private final int width;
  private final AtomicLongArray heldMinute;
  private final AtomicLongArray values;

  MinuteRing(int minutes, int width) {
    this.minutes = minutes;
    this.width = width;
    this.heldMinute = new AtomicLongArray(minutes);
    for (int i = 0; i < minutes; i++) {
      heldMinute.set(i, NEVER);
    }
    this.values = new AtomicLongArray(minutes * width);
  }

  /**
   * Where the row of {@code minute} starts in {@link #values()}, its slot cleared first when it
   * held an older minute; -1 when the slot already holds a later minute (a clock that went back),
   * and the sample is dropped.
   */
  int row(long minute) {
    int slot = (int) Math.floorMod(minute, (long) minutes);
    while (true) {
      long held = heldMinute.get(slot);
      if (held == minute) {
        return slot * width;
      }
      if (held == CLEARING) {
        Thread.onSpinWait();
        continue;
      }
      if (held > minute) {
        return -1;
      }
      if (heldMinute.compareAndSet(slot, held, CLEARING)) {
        int start = slot * width;
        for (int i = 0; i < width; i++) {
          values.set(start + i, 0);
        }
        heldMinute.set(slot, minute);
        return start;
      }
    }
  }

  AtomicLongArray values() {
    return values;
  }

  /**
   * The column sums of the {@code span} minutes ending with {@code minute} (the current one
   * included), for those of them the ring still holds.
   */
  long[] sum(long minute, int span) {
    long[] sums = new long[width];
    for (int back = 0; back < Math.min(span, minutes); back++) {
      long wanted = minute - back;
      int slot = (int) Math.floorMod(wanted, (long) minutes);
      if (heldMinute.get(slot) != wanted) {
        continue;
      }
      int start = slot * width;
      for (int i = 0; i < width; i++) {
        sums[i] += values.get(start + i);
      }
    }
    return sums;
  }
}
