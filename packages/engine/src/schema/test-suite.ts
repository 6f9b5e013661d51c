/**
 * Schema of test-suite documents: cases that evaluate a definition against
 * facts and compare a subset of the result (`expect`), or drive a workflow on
 * the virtual clock with scenario steps (`steps`). `runTestSuite` runs them.
 */
import { z } from "zod";
import { dateTimeSchema, idSchema } from "./common.js";
import { scenarioSchema } from "./scenario.js";

/** Settle a rebate program for a period instead of previewing one order. */
const settleSchema = z
  .strictObject({
    period: z.string().min(1).meta({ description: "the period, as the program settles: 2026-02, 2026-Q1 or 2026" }),
    at: dateTimeSchema.optional().meta({ description: "settlement time (default: the program's settlement day)" }),
    previous: z.array(z.json()).optional().meta({ description: "earlier statements of the program (true-ups and claw-backs)" }),
    priorBasis: z.record(z.string(), z.string()).optional().meta({ description: "prior-period basis per account (growth tiers)" }),
  })
  .meta({ description: "rebate cases: settle the order lines in `facts` (an array, or { lines }) into a statement; expect then matches the statement" });

/** One case of a suite. */
const testCaseSchema = z.strictObject({
  name: z.string().min(1).meta({ description: "unique within the suite; names the case in reports" }),
  description: z.string().optional(),
  definition: idSchema.meta({ description: "the id of the definition under test (for steps: the workflow)" }),
  version: z.int().min(1).optional().meta({ description: "the version to test (default: the version effective at `at`)" }),
  at: dateTimeSchema.optional().meta({ description: "evaluation time (steps: the virtual clock's start); default the suite's `at`" }),
  facts: z.json().optional().meta({ description: "the facts to evaluate (cases with expect)" }),
  expect: z.record(z.string(), z.json()).optional().meta({ description: "a subset of the result that must match (see docs/testing.md for the keys of each kind)" }),
  settle: settleSchema.optional(),
  steps: scenarioSchema.shape.steps.optional().meta({ description: "workflow cases: scenario steps on the virtual clock, with expect steps" }),
  directory: scenarioSchema.shape.directory,
  handlers: scenarioSchema.shape.handlers,
  calendar: z.string().optional().meta({ description: "steps: the calendar of business-time advances (default: the first workflow's)" }),
});

/** zod schema of a test-suite document. */
export const testSuiteSchema = z
  .strictObject({
    kind: z.literal("test-suite"),
    $schema: z.string().optional(),
    id: idSchema,
    version: z.int().min(1).default(1),
    name: z.string().optional(),
    description: z.string().optional(),
    at: dateTimeSchema.optional().meta({ description: "the default time of every case" }),
    definitions: z.array(z.string()).default([]).meta({ description: "definition files, relative to the suite file" }),
    directory: scenarioSchema.shape.directory.meta({ description: "the default directory of steps cases" }),
    cases: z.array(testCaseSchema).min(1),
  })
  .meta({ id: "TestSuite", title: "Ruleflow test suite" });

/** A test-suite document as written. */
export type TestSuiteDefinition = z.input<typeof testSuiteSchema>;
/** A test-suite document after validation. */
export type TestSuiteDocument = z.output<typeof testSuiteSchema>;
/** One validated case. */
export type TestCase = z.output<typeof testCaseSchema>;
