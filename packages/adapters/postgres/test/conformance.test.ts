import { describe, expect, it } from "vitest";
import { claimStoreConformance, rolloutStoreConformance, storageConformance } from "@ruleflow/engine/testing";
import { createPostgresClaimStore, createPostgresRolloutStore, createPostgresStorage } from "../src/index.js";
import { targets } from "./databases.js";

for (const t of targets()) {
  describe.skipIf(t.skip !== undefined)(`${t.name}${t.skip ? ` (skipped: ${t.skip})` : ""}`, () => {
    const api = { describe, it, expect } as Parameters<typeof storageConformance>[0];
    storageConformance(api, t.name, async () => {
      const { db, schema } = await t.schema();
      return createPostgresStorage(db, { schema });
    });
    claimStoreConformance(api, async () => {
      const { db, schema } = await t.schema();
      return createPostgresClaimStore(db, { schema });
    });
    rolloutStoreConformance(api, async () => {
      const { db, schema } = await t.schema();
      return createPostgresRolloutStore(db, { schema });
    });
  });
}
