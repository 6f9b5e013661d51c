/** Messages of fact paths named outside conditions (a rollout's unit, a rebate's line key): malformed paths and facts the document does not declare. */
import { defineCatalogue } from "../catalogue.js";

export const factPathMessages = defineCatalogue(
  "factPaths",
  {
    empty: "a fact path must not be empty",
    emptySegment: '"{path}" has an empty segment',
    forbidden: '"{name}" cannot be read from facts',
    notAPath: '"{path}" is not a fact path: write array items as a.b.0, or use an { "expr": ... } condition',
    unknownFact: 'unknown fact "{fact}"; declared facts are {known}',
  },
  {
    empty: "事实路径不能为空",
    emptySegment: '"{path}" 中有空的路径段',
    forbidden: '不能从事实中读取 "{name}"',
    notAPath: '"{path}" 不是事实路径：数组元素请写成 a.b.0，或使用 { "expr": ... } 条件',
    unknownFact: '未知事实 "{fact}"；已声明的事实为 {known}',
  },
);
