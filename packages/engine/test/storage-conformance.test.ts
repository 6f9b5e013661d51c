import { describe, expect, it } from "vitest";
import { createMemoryStorage } from "../src/index.js";
import { storageConformance } from "../src/testing.js";

storageConformance({ describe, it, expect: expect as never }, "in-memory", () => createMemoryStorage());
