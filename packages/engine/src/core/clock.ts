/**
 * Time, as every part of the engine reads it: workflows (timers,
 * escalations, schedules) and rollouts (the time of each lifecycle change).
 * A leaf module: it imports nothing.
 */

/**
 * Time. Production uses the system clock (`createSystemClock`); simulations
 * and tests a virtual one (`createVirtualClock`) that moves only when told.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Call `callback` at `at` (epoch ms) or as soon as possible after. Returns a cancel function. */
  setTimer(at: number, callback: () => void | Promise<void>): () => void;
  /**
   * Optional capability of a clock that moves only when told (the
   * `VirtualClock`): register work to wait for after each timer it fires, so
   * advancing time lets every engine on the clock settle (deliver its
   * notifications, hear back from its task handlers) before the next timer.
   * Engines register their `settle`. Returns an unregister function.
   *
   * A clock without it is real time: nothing waits between its timers, and an
   * engine on it waits for every task call in `settle()` however long it takes.
   */
  addSettler?(settle: () => Promise<void>): () => void;
}
