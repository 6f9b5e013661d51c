/** Helpers shared by the rollout test suites: random units and a reference FNV-1a. */
import type { RolloutDefinition } from "../src/index.js";

/** A random unit id such as "u-3f9a1c07", drawn from `rand`. */
export function randomUnit(rand: () => number): string {
  return `u-${Math.floor(rand() * 2 ** 32).toString(16).padStart(8, "0")}`;
}

/**
 * FNV-1a 32 written the obvious way with BigInt arithmetic, as the
 * specification reads: xor the code unit, multiply by the prime, keep 32 bits.
 */
export function referenceFnv1a32(text: string): number {
  let h = 0x811c9dc5n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 16777619n) % 2n ** 32n;
  }
  return Number(h);
}

/** The bucket formula of GrowthBook's hash version 2, on the reference hash. */
export function referenceBucket(seed: string, unit: string): number {
  return (referenceFnv1a32(String(referenceFnv1a32(seed + unit))) % 10000) / 10000;
}

/** A standard two-variant rollout document used across the suites. */
export function twoVariantRollout(extra: Record<string, unknown> = {}): RolloutDefinition {
  return {
    kind: "rollout",
    id: "renewal-incentive-v2",
    version: 1,
    unit: "customer.id",
    variants: [
      { id: "control", weight: 50, value: { policy: "renewal-v1" } },
      { id: "treatment", weight: 50, value: { policy: "renewal-v2" } },
    ],
    ...extra,
  };
}
