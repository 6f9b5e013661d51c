/**
 * @ruleflow/bullmq: the Ruleflow Scheduler on BullMQ delayed jobs in Redis.
 *
 * @packageDocumentation
 */
export { createBullMqScheduler, timerJobId } from "./scheduler.js";
export type { BullMqScheduler, BullMqSchedulerOptions } from "./scheduler.js";
