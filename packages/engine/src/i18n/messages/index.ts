/**
 * Every message catalogue, by domain, so an issue's key can be rendered in
 * another locale. Add each new catalogue module here.
 */
import type { Catalogue } from "../catalogue.js";
import { commonMessages } from "./common.js";
import { explainMessages } from "./explain.js";
import { promotionMessages } from "./promotions.js";
import { refusalMessages } from "./refusals.js";
import { rolloutExplainMessages, rolloutReasonMessages } from "./rollout-explain.js";
import { rolloutMessages } from "./rollouts.js";
import { schemaMessages } from "./schema.js";
import { validationMessages } from "./validation.js";

/** @internal */
export const CATALOGUES_BY_DOMAIN: Readonly<Record<string, Catalogue<string>>> = Object.fromEntries(
  [commonMessages, explainMessages, promotionMessages, rolloutExplainMessages, rolloutReasonMessages, schemaMessages, validationMessages, rolloutMessages, refusalMessages].map((c) => [c.domain, c as Catalogue<string>]),
);
