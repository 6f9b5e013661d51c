/** Fact paths of expressions, and facts built from a point. @internal */
import { parseExpression } from "../../expr/parse.js";
import type { Node } from "../../expr/ast.js";
import { splitPath } from "../../expr/values.js";

/** The fact path a node reads when it is a plain path (`order.amount`), else `undefined`. */
export function pathOfNode(node: Node): string | undefined {
  if (node.type === "name") return node.name;
  if (node.type === "member") {
    const base = pathOfNode(node.object);
    return base === undefined ? undefined : `${base}.${node.name}`;
  }
  return undefined;
}

/** The fact path an expression is, when it is nothing but one (`customer.tier`); else `undefined`. */
export function plainFactPath(expr: string): string | undefined {
  try {
    return pathOfNode(parseExpression(expr));
  } catch {
    return undefined;
  }
}

/** Put `value` at the dotted `path` of `facts` (creating objects on the way). */
function setFact(facts: Record<string, unknown>, path: string, value: unknown): void {
  const segs = splitPath(path);
  if (typeof segs === "string") return;
  let cur: Record<string, unknown> = facts;
  for (let i = 0; i < segs.length - 1; i++) {
    const k = segs[i]!;
    const next = Object.hasOwn(cur, k) ? cur[k] : undefined;
    if (next === null || typeof next !== "object") {
      const made: Record<string, unknown> = {};
      cur[k] = made;
      cur = made;
    } else cur = next as Record<string, unknown>;
  }
  cur[segs[segs.length - 1]!] = value;
}

/** Facts holding each path's value. */
export function factsOf(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  for (const [path, value] of entries) if (value !== undefined) setFact(facts, path, value);
  return facts;
}
