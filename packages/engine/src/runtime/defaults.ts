/** In-memory defaults for the Notifier and Directory ports. */
import type { Directory, Notification, Notifier } from "./ports.js";

/** A notifier that keeps every delivered notification in memory (the embedded default). */
export interface MemoryNotifier extends Notifier {
  /** Everything delivered, in delivery order. */
  readonly sent: readonly Notification[];
}

/**
 * Create a notifier that collects notifications in memory, dropping
 * duplicates by idempotency key.
 */
export function createMemoryNotifier(): MemoryNotifier {
  const sent: Notification[] = [];
  const keys = new Set<string>();
  return {
    sent,
    async send(n) {
      if (keys.has(n.idempotencyKey)) return;
      keys.add(n.idempotencyKey);
      sent.push(n);
    },
  };
}

/** The JSON a static directory is built from. */
export interface StaticDirectoryData {
  /** `role -> users`, e.g. `{ "compliance": ["user:wang"] }`. */
  roles?: Record<string, readonly string[]> | undefined;
  /** `user -> manager`, e.g. `{ "user:li": "user:zhao" }`. */
  managers?: Record<string, string> | undefined;
}

/**
 * A directory from a static map. Specs: `user:x` is itself; `role:r` is the
 * role's users; `manager-of:user:x` is x's manager. A plain id without a
 * prefix is taken as a user id. Unknown roles resolve to no one.
 *
 * @example
 * ```ts
 * const directory = createStaticDirectory({ roles: { compliance: ["user:wang"] } });
 * await directory.resolve("role:compliance"); // ["user:wang"]
 * ```
 */
export function createStaticDirectory(data: StaticDirectoryData = {}): Directory {
  const roles = data.roles ?? {};
  const managers = data.managers ?? {};
  return {
    async resolve(spec) {
      if (spec.startsWith("role:")) {
        const r = spec.slice(5);
        return Object.hasOwn(roles, r) ? [...roles[r]!] : [];
      }
      if (spec.startsWith("manager-of:")) {
        const u = spec.slice(11);
        return Object.hasOwn(managers, u) ? [managers[u]!] : [];
      }
      return [spec];
    },
  };
}
