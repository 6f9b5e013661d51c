/** The expression syntax tree the compiler works on. */
export type Node =
  | { readonly type: "literal"; readonly value: unknown }
  | { readonly type: "name"; readonly name: string; readonly pos: number }
  | { readonly type: "member"; readonly object: Node; readonly name: string; readonly pos: number }
  | { readonly type: "index"; readonly object: Node; readonly index: Node }
  | { readonly type: "unary"; readonly op: "-" | "+" | "not"; readonly arg: Node }
  | { readonly type: "binary"; readonly op: BinaryOp; readonly left: Node; readonly right: Node }
  | { readonly type: "logical"; readonly op: "and" | "or"; readonly left: Node; readonly right: Node }
  | { readonly type: "conditional"; readonly test: Node; readonly then: Node; readonly otherwise: Node }
  | { readonly type: "call"; readonly name: string; readonly args: readonly Node[]; readonly pos: number }
  | { readonly type: "lambda"; readonly param: string; readonly body: Node; readonly pos: number }
  | { readonly type: "array"; readonly items: readonly Node[] };

/** Binary operators of the language. */
export type BinaryOp = "+" | "-" | "*" | "/" | "%" | "^" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "in";

export const BINARY_OPS: ReadonlySet<string> = new Set([
  "+", "-", "*", "/", "%", "^", "==", "!=", "<", "<=", ">", ">=", "in",
]);
