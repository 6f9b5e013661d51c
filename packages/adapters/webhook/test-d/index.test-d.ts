/** Type tests of `@ruleflow/webhook` against its built declarations (scripts/check-types-dist.mjs). */
import { expectTypeOf } from "expect-type";
import type { Notification, Notifier } from "@ruleflow/engine";
import { createWebhookNotifier, signWebhook, verifyWebhookSignature, type WebhookNotifier } from "@ruleflow/webhook";

expectTypeOf(createWebhookNotifier).returns.toEqualTypeOf<WebhookNotifier>();
expectTypeOf<WebhookNotifier>().toExtend<Notifier>();
expectTypeOf(createWebhookNotifier).toBeCallableWith({ url: "https://example.com/hook", secret: "whsec_c2VjcmV0" });
expectTypeOf(createWebhookNotifier).toBeCallableWith({ url: (n: Notification) => `https://example.com/${n.template}` });
// @ts-expect-error the url is required
createWebhookNotifier({});
expectTypeOf(verifyWebhookSignature).returns.toEqualTypeOf<{ ok: true; id: string } | { ok: false; reason: string }>();
expectTypeOf(signWebhook).toBeFunction();
