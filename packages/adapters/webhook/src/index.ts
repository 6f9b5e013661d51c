/**
 * @ruleflow/webhook: deliver Ruleflow notifications as signed webhooks.
 *
 * @packageDocumentation
 */
export { createWebhookNotifier, defaultWebhookBody } from "./notifier.js";
export type { WebhookNotifier, WebhookNotifierOptions } from "./notifier.js";
export { signWebhook, verifyWebhookSignature, secretKey } from "./signature.js";
export type { SignatureHeaders, VerifyOptions } from "./signature.js";
export { postWithRetry, classifyStatus, redactUrl, DeliveryError } from "./http.js";
export type { HttpRequest, HttpResponse, Verdict, PostOptions, FailureDetail } from "./http.js";
export { retryPolicy, backoffDelay, parseRetryAfter } from "./retry.js";
export type { RetryOptions, RetryPolicy } from "./retry.js";
export { createWebhookDeadLetterBox } from "./dead-letter.js";
export { checkNumberOption, checkFunctionOption, checkObjectOption, checkUrlOption, checkHeadersOption, describeOptionValue } from "./options.js";
export type { WebhookDeadLetter } from "./dead-letter.js";
