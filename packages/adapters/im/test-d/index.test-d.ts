/** Type tests of `@ruleflow/im` against its built declarations (scripts/check-types-dist.mjs). */
import { expectTypeOf } from "expect-type";
import type { Notifier } from "@ruleflow/engine";
import type { WebhookDeadLetter } from "@ruleflow/webhook";
import { createImNotifier, dingTalkSign, feishuSign, type ImNotifier } from "@ruleflow/im";

expectTypeOf(createImNotifier).returns.toEqualTypeOf<ImNotifier>();
expectTypeOf<ImNotifier>().toExtend<Notifier>();
// the dead letters are @ruleflow/webhook's type, from its one set of declarations
expectTypeOf<ImNotifier["deadLetters"]>().toEqualTypeOf<readonly WebhookDeadLetter[]>();
expectTypeOf(createImNotifier).toBeCallableWith({ robot: { kind: "slack", url: "https://hooks.slack.com/services/x" } });
// @ts-expect-error not a robot kind
createImNotifier({ robot: { kind: "carrier-pigeon", url: "x" } });
expectTypeOf(dingTalkSign).toBeFunction();
expectTypeOf(feishuSign).toBeFunction();
