/**
 * The persistent part of the demo: a customer-qualification instance kept in
 * an embedded PostgreSQL (PGlite) under `.ruleflow-data/`. The first run
 * starts it; the next run finds it there and has the three countersigners
 * approve it; later runs show how it ended. Each run's clock is fixed, so
 * the output is the same on every machine.
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createEngine, createMemoryNotifier, createStaticDirectory, createVirtualClock, type InstanceView } from "@ruleflow/engine";
import { createPostgresScheduler, createPostgresStorage, migrate, openPGlite } from "@ruleflow/postgres";
import { loadScenario } from "./demo-workflow.js";

/** Where the demo keeps its data unless told otherwise: `.ruleflow-data/demo` at the repository root. */
const DEMO_DATA_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", ".ruleflow-data", "demo");

const INSTANCE = "demo-q1";
const FIRST_RUN = "2026-02-10T10:00:00+08:00";
const SECOND_RUN = "2026-02-10T11:30:00+08:00";
const ROLES = { marketing: ["user:ma"], compliance: ["user:chen"], legal: ["user:lu"], "compliance-lead": ["user:boss"], onboarding: ["user:ob"] };

const local = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().replace("T", " ").slice(0, 16) + " (UTC+8)";

/** What a run did. */
export type PersistentDemoRun = "started" | "continued" | "finished-earlier";

/**
 * Run one step of the persistent demo against the data in `dataDir`.
 *
 * @param out - where lines go
 * @param dataDir - the PGlite folder (created when missing)
 * @returns what this run did: started the instance, continued it, or found it finished
 */
export async function runPersistentDemo(out: (line: string) => void, dataDir: string = DEMO_DATA_DIR): Promise<PersistentDemoRun> {
  mkdirSync(dirname(dataDir), { recursive: true });
  const db = await openPGlite(dataDir);
  try {
    await migrate(db);
    const storage = createPostgresStorage(db);
    const existing = await storage.getInstance(INSTANCE);
    const clock = createVirtualClock(existing ? SECOND_RUN : FIRST_RUN);
    const notifier = createMemoryNotifier();
    const engine = createEngine({
      definitions: loadScenario("qualification-sla").definitions,
      storage,
      scheduler: createPostgresScheduler(db, { clock, pollIntervalMs: 0 }),
      clock,
      notifier,
      directory: createStaticDirectory({ roles: ROLES }),
      newId: (() => {
        let n = (existing?.version ?? 0) * 100;
        return () => `demo-${++n}`;
      })(),
    });
    await engine.ready;
    out(`## Persisted in PGlite (${dataDir.endsWith(join(".ruleflow-data", "demo")) ? ".ruleflow-data/demo" : "a data folder"}): a qualification that outlives the process`);
    const waiting = (i: InstanceView): string => `waiting for ${i.assignees.join(", ")}`;
    let run: PersistentDemoRun;
    if (!existing) {
      const i = await engine.start("customer-qualification", {
        id: INSTANCE,
        initiator: "user:li",
        input: { contract: { amount: 1_250_000 }, customer: { name: "Hengtai", creditRating: "A" } },
      });
      out(`  ${local(clock.now())}  started ${i.id}: contract of 1,250,000 goes to countersign, ${waiting(i)}`);
      out("  Run the demo again: the next run finds this instance on disk and continues it.");
      run = "started";
    } else if (existing.status === "running") {
      out(`  found ${INSTANCE} from the previous run (version ${existing.version}, ${existing.status}, waiting for ${existing.assignees.join(", ")})`);
      for (const actor of ["user:ma", "user:chen", "user:lu"]) {
        await engine.send(INSTANCE, { type: "approve", actor });
        out(`  ${local(clock.now())}  ${actor} approves`);
      }
      run = "continued";
    } else {
      out(`  ${INSTANCE} finished on an earlier run. Delete .ruleflow-data/ to start over.`);
      run = "finished-earlier";
    }
    await engine.settle();
    for (const n of notifier.sent) out(`  notified: ${n.template} → ${n.recipients.join(", ")}`);
    const now = (await engine.get(INSTANCE))!;
    const audit = (await engine.audit(INSTANCE)).map((a) => `${a.action}${a.actor.startsWith("user:") && a.action !== "start" ? ` by ${a.actor}` : ""}`);
    out(`  ${INSTANCE}: ${now.status}${now.outcome ? `, ${now.outcome}` : ""}, version ${now.version}; audit: ${audit.join(", ")}`);
    out("");
    await engine.close();
    return run;
  } finally {
    await db.close();
  }
}
