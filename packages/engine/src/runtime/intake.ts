/**
 * What `engine.send` lets through: an event from outside is checked (shape,
 * text every store can keep, no engine-internal type, an actor, each field)
 * before it reaches an instance, and the specs it names (`role:legal`,
 * `manager-of:user:li`) are resolved to users through the Directory.
 */
import { ActionNotAllowedError, ArgumentError } from "../core/errors.js";
import type { Locale } from "../i18n/locale.js";
import { assertStorableText } from "../storable-text.js";
import { checkInstanceEvent, INTERNAL_EVENT_TYPES, isInstanceEventType, type InstanceEvent } from "../workflow/events.js";
import type { Directory } from "./ports.js";
import { refusalError } from "./refusal.js";

/** An event `send` accepts: a checked operation, or a type no step knows (refused once the instance is loaded). */
export type AdmittedEvent = { readonly kind: "event"; readonly event: InstanceEvent } | { readonly kind: "unknown"; readonly type: string; readonly actor: string };

/**
 * Check an event sent to `instanceId`.
 * @throws {@link ArgumentError} for a missing type or a field of the wrong type (naming it: `event.users[1]`)
 * @throws a `ValidationError` for text no store can keep
 * @throws {@link ActionNotAllowedError} for engine-internal types, a missing actor and malformed operations (in `locale`)
 */
export function admitEvent(instanceId: string, event: unknown, locale: Locale): AdmittedEvent {
  const raw = (typeof event === "object" && event !== null ? event : {}) as Record<string, unknown>;
  const type = raw["type"];
  if (typeof type !== "string") {
    throw new ArgumentError("event.type", `an event needs a "type" (a string such as "approve"), got ${event === null || typeof event !== "object" ? String(event) : typeof type}`);
  }
  assertStorableText({ instanceId, ...raw }, "event");
  const actor = raw["actor"];
  if (Object.hasOwn(INTERNAL_EVENT_TYPES, type)) {
    throw new ActionNotAllowedError(instanceId, type, typeof actor === "string" ? actor : "(nobody)", INTERNAL_EVENT_TYPES[type as keyof typeof INTERNAL_EVENT_TYPES]);
  }
  if (isInstanceEventType(type) && typeof actor !== "string") throw new ActionNotAllowedError(instanceId, type, "(nobody)", 'the event needs an "actor"');
  const checked = checkInstanceEvent(raw);
  if (checked.kind === "malformed") throw refusalError(locale, instanceId, checked.type, checked.actor, checked.reason);
  return checked;
}

/** The users a spec names: a Directory spec (`role:x`) resolved, a user as it is. */
async function usersOfSpec(spec: string, directory: Directory): Promise<string[]> {
  return spec.includes(":") && !spec.startsWith("user:") ? [...(await directory.resolve(spec))] : [spec];
}

/** The users of several specs, in order. */
async function usersOfSpecs(specs: readonly string[], directory: Directory): Promise<string[]> {
  return (await Promise.all(specs.map((spec) => usersOfSpec(spec, directory)))).flat();
}

/**
 * People-facing payloads may name specs (`role:x`): the event with them
 * resolved to users (`delegate`/`transfer` to exactly one).
 * @throws {@link ActionNotAllowedError} when a `to` of delegate or transfer does not resolve to exactly one user
 */
export async function resolveEventSpecs(instanceId: string, event: InstanceEvent, directory: Directory): Promise<InstanceEvent> {
  switch (event.type) {
    case "delegate":
    case "transfer": {
      const users = await usersOfSpec(event.to, directory);
      if (users.length !== 1) throw new ActionNotAllowedError(instanceId, event.type, event.actor, `"${event.to}" must resolve to exactly one user, got ${users.length}`);
      return { ...event, to: users[0]! };
    }
    case "addSigner":
      return Array.isArray(event.users) ? { ...event, users: await usersOfSpecs(event.users, directory) } : event;
    case "cc":
      return { ...event, to: await usersOfSpecs(event.to, directory) };
    default:
      return event;
  }
}
