/** Messages of scenario checks made while a scenario runs its steps. */
import { defineCatalogue } from "../catalogue.js";

export const scenarioMessages = defineCatalogue(
  "scenario",
  {
    missingCalendar: "a business-time advance needs a calendar (scenario.calendar or a workflow's)",
  },
  {
    missingCalendar: "按工作时间推进需要日历（scenario.calendar 或流程的日历）",
  },
);
