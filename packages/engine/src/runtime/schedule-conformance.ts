/**
 * The part of the Storage conformance suite about scheduled triggers'
 * records (`getSchedule` / `saveSchedule`): compare-and-set on `version`,
 * round trips of every field, copies. Run by {@link storageConformance}.
 */
import { isRuleflowError } from "../core/errors.js";
import type { TestApi } from "../conformance-kit.js";
import type { ScheduleRecord, Storage } from "./ports.js";

const record = (version: number, extra: Partial<ScheduleRecord> = {}): ScheduleRecord => ({
  id: "pipeline-review/weekly",
  definitionId: "pipeline-review",
  spec: '["week",["fri"],null,"16:00","cn-mainland","skip"]',
  nextAt: 1_770_364_800_000,
  lastAt: null,
  version,
  updatedAt: 1_770_000_000_000 + version,
  ...extra,
});

/**
 * Register the schedule tests of the Storage conformance suite.
 * @internal
 */
export function scheduleStorageConformance(t: TestApi, makeStorage: () => Storage | Promise<Storage>): void {
  const { it, expect } = t;
  const conflict = async (p: Promise<unknown>): Promise<void> => {
    let error: unknown;
    try {
      await p;
    } catch (e) {
      error = e;
    }
    expect(isRuleflowError(error) && error.code).toBe("CONCURRENCY_CONFLICT");
  };

  it("schedules: getSchedule and saveSchedule come together (or neither, and the engine refuses scheduled workflows)", async () => {
    const s = await makeStorage();
    expect(typeof s.getSchedule === "function").toBe(typeof s.saveSchedule === "function");
  });

  it("schedules: a record is created once, then advanced only from the version it was read at", async () => {
    const s = await makeStorage();
    if (!s.getSchedule || !s.saveSchedule) return;
    expect(await s.getSchedule("pipeline-review/weekly")).toBe(undefined);
    await s.saveSchedule(record(1), null);
    await conflict(s.saveSchedule(record(1, { nextAt: 1 }), null));
    expect(await s.getSchedule("pipeline-review/weekly")).toEqual(record(1));
    const advanced = record(2, { nextAt: 1_770_969_600_000, lastAt: 1_770_364_800_000 });
    await s.saveSchedule(advanced, 1);
    await conflict(s.saveSchedule(record(2, { nextAt: 5 }), 1));
    await conflict(s.saveSchedule(record(4), 3));
    expect(await s.getSchedule("pipeline-review/weekly")).toEqual(advanced);
    const stuck = record(3, { nextAt: null, lastAt: 1_770_969_600_000, error: 'Calendar "cn-mainland" has no holiday data for 2027 \u4E2D\u6587' });
    await s.saveSchedule(stuck, 2);
    expect(await s.getSchedule("pipeline-review/weekly")).toEqual(stuck);
    expect(await s.getSchedule("other/weekly")).toBe(undefined);
  });

  it("schedules: a new record is expectedVersion null; 0 is refused before anything is written", async () => {
    const s = await makeStorage();
    if (!s.getSchedule || !s.saveSchedule) return;
    let error: unknown;
    try {
      await s.saveSchedule(record(1), 0);
    } catch (e) {
      error = e;
    }
    expect(isRuleflowError(error) && error.code).toBe("INVALID_ARGUMENT");
    expect(/expectedVersion/.test(String((error as Error).message)), String(error)).toBe(true);
    expect(await s.getSchedule("pipeline-review/weekly")).toBe(undefined);
  });

  it("schedules: results are copies", async () => {
    const s = await makeStorage();
    if (!s.getSchedule || !s.saveSchedule) return;
    await s.saveSchedule(record(1), null);
    const got = (await s.getSchedule("pipeline-review/weekly")) as { nextAt: number };
    got.nextAt = 0;
    expect((await s.getSchedule("pipeline-review/weekly"))!.nextAt).toBe(record(1).nextAt);
  });
}
