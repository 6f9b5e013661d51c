/** The in-memory RolloutStore passes the conformance suite every adapter must pass. */
import { describe, expect, it } from "vitest";
import { rolloutStoreConformance } from "../src/testing.js";
import { createMemoryRolloutStore } from "../src/entries/rollouts.js";

rolloutStoreConformance({ describe, it, expect }, () => createMemoryRolloutStore());
