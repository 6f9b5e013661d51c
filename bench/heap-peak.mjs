/**
 * Loaded by bench/settle-stream.ts into the settling process
 * (`node --import ./bench/heap-peak.mjs ...`): samples the heap every 20 ms and,
 * at exit, writes the peak heap used and the peak RSS (MB) as JSON to the file
 * named by RULEFLOW_PEAK_FILE.
 */
import { writeFileSync } from "node:fs";
import process from "node:process";
import { setInterval } from "node:timers";

let heap = 0;
const sample = () => {
  const used = process.memoryUsage().heapUsed;
  if (used > heap) heap = used;
};
setInterval(sample, 20).unref();
process.on("exit", () => {
  sample();
  const file = process.env.RULEFLOW_PEAK_FILE;
  if (file) writeFileSync(file, JSON.stringify({ rssMb: process.resourceUsage().maxRSS / 1024, heapMb: heap / 2 ** 20 }));
});
