/** Words shared by several domains' messages. */
import { defineCatalogue } from "../catalogue.js";

export const commonMessages = defineCatalogue(
  "common",
  {
    pass: "pass",
    fail: "fail",
    missing: "missing",
    yes: "yes",
    no: "no",
  },
  {
    pass: "通过",
    fail: "未通过",
    missing: "缺失",
    yes: "是",
    no: "否",
  },
);
