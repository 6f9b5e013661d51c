/** Type tests of `@ruleflow/email` against its built declarations (scripts/check-types-dist.mjs). */
import { expectTypeOf } from "expect-type";
import type { Notifier } from "@ruleflow/engine";
import { createEmailNotifier, isPermanentSmtpError, type EmailNotifier } from "@ruleflow/email";

expectTypeOf(createEmailNotifier).returns.toEqualTypeOf<EmailNotifier>();
expectTypeOf<EmailNotifier>().toExtend<Notifier>();
expectTypeOf<EmailNotifier["close"]>().returns.toBeVoid();
expectTypeOf(createEmailNotifier).toBeCallableWith({
  transport: { host: "smtp.example.com", port: 587 },
  from: "Ruleflow <noreply@example.com>",
  address: (user: string) => `${user}@example.com`,
});
// @ts-expect-error from and address are required
createEmailNotifier({ transport: { host: "smtp.example.com" } });
expectTypeOf(isPermanentSmtpError).returns.toBeBoolean();
