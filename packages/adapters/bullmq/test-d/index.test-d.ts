/** Type tests of `@ruleflow/bullmq` against its built declarations (scripts/check-types-dist.mjs). */
import { expectTypeOf } from "expect-type";
import type { Scheduler } from "@ruleflow/engine";
import { createBullMqScheduler, timerJobId, type BullMqScheduler } from "@ruleflow/bullmq";

expectTypeOf(createBullMqScheduler).returns.toEqualTypeOf<BullMqScheduler>();
expectTypeOf<BullMqScheduler>().toExtend<Scheduler>();
expectTypeOf(createBullMqScheduler).toBeCallableWith({ connection: { host: "127.0.0.1", port: 6379 }, queueName: "ruleflow-timers" });
// @ts-expect-error a connection is required
createBullMqScheduler({});
expectTypeOf(timerJobId).returns.toBeString();
