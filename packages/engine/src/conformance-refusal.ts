/** The one check every conformance suite uses for text no store can keep. */
import { unstorableText } from "./storable-text.js";
import type { TestApi } from "./testing.js";

/**
 * `p` must be refused the way every store refuses text it cannot keep: a
 * `VALIDATION_ERROR` carrying exactly the issues `unstorableText(fields)` finds.
 * @internal
 */
export async function expectUnstorableRefusal(expect: TestApi["expect"], p: Promise<unknown>, fields: Record<string, unknown>): Promise<void> {
  const issues = unstorableText(fields);
  expect(issues.length).toBeGreaterThan(0);
  let error: unknown;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  expect(error, `expected a refusal naming ${issues.map((i) => i.path.join(".")).join(", ")}`).toMatchObject({ code: "VALIDATION_ERROR", issues });
}
