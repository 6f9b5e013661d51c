/**
 * Checks of notifier options, shared with `@ruleflow/im`. A meaningless value
 * (NaN, Infinity, a negative timeout, a string where a function belongs) is
 * refused when the notifier is created, with the option's name and what was
 * expected, instead of behaving strangely on the first delivery.
 */

/**
 * An option's value as an error message shows it: a string quoted, a number,
 * boolean or bigint as written, `null`, `undefined`, else what it is ("an
 * array", "an object", "a function", "a symbol").
 *
 * @param value - the value given for the option
 * @returns the short text, e.g. `"teams"`, `7`, `an object`
 * @example
 * ```ts
 * throw new TypeError(`createMyNotifier: kind must be "a" or "b", got ${describeOptionValue(options.kind)}`);
 * ```
 */
export function describeOptionValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  return typeof value === "function" ? "a function" : typeof value === "object" ? "an object" : "a symbol";
}


/**
 * Check an optional number option.
 *
 * @param owner - the function whose option it is, for the message (`createWebhookNotifier`)
 * @param name - the option's name (`timeoutMs`, `retry.baseDelayMs`)
 * @param value - the value given (undefined is allowed: the default applies)
 * @param rule - `integer` for whole numbers; `min` the smallest allowed value; `unit` for the message
 * @throws TypeError for a non-number, RangeError for NaN, Infinity or a value out of range
 */
export function checkNumberOption(owner: string, name: string, value: unknown, rule: { integer: boolean; min: number; unit?: string | undefined }): void {
  if (value === undefined) return;
  const expected = `${rule.integer ? "a whole number" : "a finite number"}${rule.unit ? ` of ${rule.unit}` : ""}, ${rule.min === 0 ? "0 or more" : `at least ${rule.min}`}`;
  if (typeof value !== "number") throw new TypeError(`${owner}: ${name} must be ${expected}, got ${describeOptionValue(value)}`);
  if (!Number.isFinite(value) || (rule.integer && !Number.isInteger(value)) || value < rule.min) {
    throw new RangeError(`${owner}: ${name} must be ${expected}, got ${describeOptionValue(value)}`);
  }
}

/** Check an optional function option. @throws TypeError */
export function checkFunctionOption(owner: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "function") throw new TypeError(`${owner}: ${name} must be a function, got ${describeOptionValue(value)}`);
}

/** Check an optional plain-object option. @throws TypeError */
export function checkObjectOption(owner: string, name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== "object" || value === null || Array.isArray(value))) throw new TypeError(`${owner}: ${name} must be an object, got ${describeOptionValue(value)}`);
}

/** Check an http(s) URL option. @throws TypeError */
export function checkUrlOption(owner: string, name: string, value: unknown): void {
  let ok = false;
  if (typeof value === "string") {
    try {
      const u = new URL(value);
      ok = u.protocol === "http:" || u.protocol === "https:";
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new TypeError(`${owner}: ${name} must be an http(s) URL, got ${describeOptionValue(value)}`);
}

/** Check an optional record of string header values. @throws TypeError */
export function checkHeadersOption(owner: string, name: string, value: unknown): void {
  checkObjectOption(owner, name, value);
  for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) {
    if (typeof v !== "string") throw new TypeError(`${owner}: ${name}[${JSON.stringify(k)}] must be a string, got ${describeOptionValue(v)}`);
  }
}
