/** Type tests of `@ruleflow/cli` (ES module only) against its built declarations (scripts/check-types-dist.mjs). */
import { expectTypeOf } from "expect-type";
import { main, type Io } from "@ruleflow/cli";

expectTypeOf(main).returns.toEqualTypeOf<Promise<number>>();
expectTypeOf(main).toBeCallableWith(["validate", "rules.json"]);
expectTypeOf(main).parameter(1).toEqualTypeOf<Io | undefined>();
// @ts-expect-error the arguments are a list of strings
void main("validate rules.json");
