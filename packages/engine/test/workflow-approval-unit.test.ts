/** approval.ts as pure functions: modes, who may act, operations, and properties of vote and countersign. */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  actionableUsers,
  applyApproval,
  authorize,
  currentSlots,
  decideApproval,
  enterApproval,
  escalateApproval,
  type ApprovalAction,
  type ApprovalSetup,
  type ApprovalState,
} from "../src/workflow/approval.js";
import { renderRefusal } from "../src/runtime/refusal.js";

const AT = 1_000;
const setup = (over: Partial<ApprovalSetup>): ApprovalSetup => ({
  mode: "sequential",
  users: [],
  initiator: "user:init",
  approvedBefore: [],
  selfApproval: "require",
  repeatApproval: "require",
  at: AT,
  ...over,
});

type WithoutAt<T> = T extends unknown ? Omit<T, "at"> : never;

/** Authorise then apply, as the machine does; throws with the refusal reason. */
function act(state: ApprovalState, action: WithoutAt<ApprovalAction>, initiator = "user:init"): ApprovalState {
  const a = { ...action, at: AT };
  const reason = authorize(state, a, initiator);
  if (reason !== undefined) throw new Error(renderRefusal(reason, "en"));
  return applyApproval(state, a);
}
const approve = (s: ApprovalState, actor: string): ApprovalState => act(s, { type: "approve", actor });
const reject = (s: ApprovalState, actor: string): ApprovalState => act(s, { type: "reject", actor });

describe("enterApproval", () => {
  it("merges duplicate users, keeping the first position", () => {
    const s = enterApproval(setup({ users: ["user:a", "user:b", "user:a", "user:c", "user:b"] }));
    expect(s.slots.map((x) => `${x.user}@${x.step}`)).toEqual(["user:a@0", "user:b@1", "user:c@2"]);
  });

  it("auto-passes the initiator and earlier approvers only when the policies say so", () => {
    const users = ["user:init", "user:old", "user:new"];
    const strict = enterApproval(setup({ mode: "all", users, approvedBefore: ["user:old"] }));
    expect(strict.slots.map((s) => s.status)).toEqual(["pending", "pending", "pending"]);
    const lax = enterApproval(setup({ mode: "all", users, approvedBefore: ["user:old"], selfApproval: "auto-pass", repeatApproval: "auto-pass" }));
    expect(lax.slots.map((s) => s.status)).toEqual(["auto-passed", "auto-passed", "pending"]);
    expect(lax.slots[0]!.actedBy).toBe("system");
    expect(actionableUsers(lax)).toEqual(["user:new"]);
  });

  it("decides at once when every slot auto-passed", () => {
    const s = enterApproval(setup({ mode: "sequential", users: ["user:init"], selfApproval: "auto-pass" }));
    expect(s.outcome).toBe("approved");
    expect(actionableUsers(s)).toEqual([]);
  });

  it("reads a vote threshold below 1 as a share of the total weight", () => {
    const s = enterApproval(setup({ mode: "vote", users: ["user:a", "user:b", "user:c"], weights: { "user:a": 2 }, threshold: 0.5 }));
    expect(s.needed).toBe(2);
    const abs = enterApproval(setup({ mode: "vote", users: ["user:a", "user:b", "user:c"], threshold: 2 }));
    expect(abs.needed).toBe(2);
    const unanimous = enterApproval(setup({ mode: "vote", users: ["user:a", "user:b"] }));
    expect(unanimous.needed).toBe(2);
  });
});

describe("modes", () => {
  it("sequential: one after another; a rejection rejects", () => {
    let s = enterApproval(setup({ users: ["user:a", "user:b", "user:c"] }));
    expect(actionableUsers(s)).toEqual(["user:a"]);
    expect(() => approve(s, "user:b")).toThrow(/not a current approver/);
    s = approve(s, "user:a");
    expect(actionableUsers(s)).toEqual(["user:b"]);
    s = approve(s, "user:b");
    expect(s.outcome).toBeUndefined();
    s = approve(s, "user:c");
    expect(s.outcome).toBe("approved");

    let r = enterApproval(setup({ users: ["user:a", "user:b"] }));
    r = reject(r, "user:a");
    expect(r.outcome).toBe("rejected");
    expect(() => approve(r, "user:b")).toThrow(/already decided/);
  });

  it("all: everyone in parallel; one rejection rejects", () => {
    let s = enterApproval(setup({ mode: "all", users: ["user:a", "user:b", "user:c"] }));
    expect(actionableUsers(s).sort()).toEqual(["user:a", "user:b", "user:c"]);
    s = approve(s, "user:c");
    s = approve(s, "user:a");
    expect(s.outcome).toBeUndefined();
    expect(() => approve(s, "user:a")).toThrow(/not a current approver/);
    expect(reject(s, "user:b").outcome).toBe("rejected");
    expect(approve(s, "user:b").outcome).toBe("approved");
  });

  it("any: the first response decides", () => {
    const s = enterApproval(setup({ mode: "any", users: ["user:a", "user:b"] }));
    expect(approve(s, "user:b").outcome).toBe("approved");
    expect(reject(s, "user:a").outcome).toBe("rejected");
  });

  it("vote: approves at the threshold, rejects as soon as it is out of reach", () => {
    const s = enterApproval(setup({ mode: "vote", users: ["user:a", "user:b", "user:c", "user:d"], weights: { "user:a": 3 }, threshold: 4 }));
    // total 6, need 4: a (3) + any one other passes; without a it cannot pass
    expect(reject(s, "user:a").outcome).toBe("rejected");
    const a = approve(s, "user:a");
    expect(a.outcome).toBeUndefined();
    expect(approve(a, "user:d").outcome).toBe("approved");
    const b = reject(reject(a, "user:b"), "user:c");
    expect(b.outcome).toBeUndefined();
    expect(reject(b, "user:d").outcome).toBe("rejected");
  });

  it("vote: an unreachable threshold rejects on entry", () => {
    const s = enterApproval(setup({ mode: "vote", users: ["user:a", "user:b"], threshold: 3 }));
    expect(s.outcome).toBe("rejected");
  });

  it("decideApproval forces an outcome once and does not mutate its input", () => {
    const s = enterApproval(setup({ mode: "all", users: ["user:a"] }));
    const frozen = structuredClone(s);
    const d = decideApproval(s, "rejected");
    expect(d.outcome).toBe("rejected");
    expect(s).toEqual(frozen);
    expect(decideApproval(d, "approved").outcome).toBe("rejected");
  });
});

describe("operations", () => {
  it("delegate: the delegate can act, the owner keeps the right; only the owner delegates", () => {
    const s = enterApproval(setup({ mode: "all", users: ["user:a", "user:b"] }));
    const d = act(s, { type: "delegate", actor: "user:a", to: "user:x" });
    expect(actionableUsers(d).sort()).toEqual(["user:a", "user:b", "user:x"]);
    expect(() => act(d, { type: "delegate", actor: "user:x", to: "user:y" })).toThrow(/only a current approver/);
    expect(() => act(s, { type: "delegate", actor: "user:a", to: "user:a" })).toThrow(/themselves/);
    const byDelegate = approve(d, "user:x");
    expect(byDelegate.slots[0]).toMatchObject({ user: "user:a", status: "approved", actedBy: "user:x" });
    const byOwner = approve(d, "user:a");
    expect(byOwner.slots[0]).toMatchObject({ user: "user:a", status: "approved", actedBy: "user:a" });
  });

  it("transfer: the new owner replaces the old one, delegates are dropped", () => {
    const s = act(enterApproval(setup({ mode: "all", users: ["user:a", "user:b"] })), { type: "delegate", actor: "user:a", to: "user:x" });
    const t = act(s, { type: "transfer", actor: "user:a", to: "user:t" });
    expect(actionableUsers(t).sort()).toEqual(["user:b", "user:t"]);
    expect(() => approve(t, "user:a")).toThrow(/not a current approver/);
    expect(() => approve(t, "user:x")).toThrow(/not a current approver/);
    expect(() => act(s, { type: "transfer", actor: "user:a", to: "user:b" })).toThrow(/already an approver/);
    expect(() => act(s, { type: "transfer", actor: "user:x", to: "user:t" })).toThrow(/only a current approver/);
  });

  it("addSigner in a sequential chain: before, after, parallel", () => {
    const base = enterApproval(setup({ users: ["user:a", "user:b"] }));
    const order = (s: ApprovalState): string[] => s.slots.filter((x) => x.status === "pending").map((x) => `${x.user}@${x.step}`);
    const before = act(base, { type: "addSigner", actor: "user:a", users: ["user:x", "user:y"], position: "before" });
    expect(order(before)).toEqual(["user:x@0", "user:y@1", "user:a@2", "user:b@3"]);
    expect(actionableUsers(before)).toEqual(["user:x"]);
    const after = act(base, { type: "addSigner", actor: "user:a", users: ["user:x"], position: "after" });
    expect(order(after)).toEqual(["user:a@0", "user:x@1", "user:b@2"]);
    const parallel = act(base, { type: "addSigner", actor: "user:a", users: ["user:x"], position: "parallel" });
    expect(actionableUsers(parallel).sort()).toEqual(["user:a", "user:x"]);
    // the current step needs both now
    expect(approve(parallel, "user:a").slots.find((s) => s.user === "user:b")!.status).toBe("pending");
    expect(actionableUsers(approve(parallel, "user:a"))).toEqual(["user:x"]);
  });

  it("addSigner: only a current approver or the initiator; not someone already pending", () => {
    const s = enterApproval(setup({ mode: "all", users: ["user:a", "user:b"] }));
    expect(() => act(s, { type: "addSigner", actor: "user:z", users: ["user:x"], position: "after" })).toThrow(/only a current approver or the initiator/);
    expect(() => act(s, { type: "addSigner", actor: "user:a", users: ["user:b"], position: "after" })).toThrow(/already a pending approver/);
    expect(() => act(s, { type: "addSigner", actor: "user:a", users: [], position: "after" })).toThrow(/no signer/);
    const byInit = act(s, { type: "addSigner", actor: "user:init", users: ["user:x"], position: "parallel" });
    expect(byInit.slots.at(-1)).toMatchObject({ user: "user:x", addedBy: "user:init", status: "pending" });
  });

  it("removeSigner: the initiator or whoever added them, never the last pending", () => {
    let s = enterApproval(setup({ mode: "all", users: ["user:a", "user:b"] }));
    s = act(s, { type: "addSigner", actor: "user:a", users: ["user:x"], position: "parallel" });
    expect(() => act(s, { type: "removeSigner", actor: "user:b", user: "user:x" })).toThrow(/only the initiator or whoever added/);
    const byAdder = act(s, { type: "removeSigner", actor: "user:a", user: "user:x" });
    expect(byAdder.slots.find((x) => x.user === "user:x")!.status).toBe("removed");
    expect(() => act(s, { type: "removeSigner", actor: "user:a", user: "user:b" })).toThrow(/only the initiator/);
    const byInit = act(s, { type: "removeSigner", actor: "user:init", user: "user:b" });
    expect(actionableUsers(byInit).sort()).toEqual(["user:a", "user:x"]);
  });

  it("removeSigner refuses the last pending approver; removing the only holdout approves", () => {
    let s = enterApproval(setup({ mode: "all", users: ["user:a", "user:b", "user:c"] }));
    s = approve(s, "user:a");
    s = act(s, { type: "removeSigner", actor: "user:init", user: "user:b" });
    expect(() => act(s, { type: "removeSigner", actor: "user:init", user: "user:c" })).toThrow(/last pending/);
    expect(() => act(s, { type: "removeSigner", actor: "user:init", user: "user:a" })).toThrow(/not a pending approver/);
    expect(approve(s, "user:c").outcome).toBe("approved");
  });

  it("an escalation target acts once for each seat it covers, when that seat is current", () => {
    const { state: s, covered } = escalateApproval(enterApproval(setup({ users: ["user:a", "user:b", "user:c"] })), ["user:boss"], (slot) => slot.user !== "user:b");
    expect(covered).toEqual(["user:a", "user:c"]);
    expect(actionableUsers(s).sort()).toEqual(["user:a", "user:boss"]);
    let t = approve(s, "user:boss");
    expect(t.slots[0]).toMatchObject({ user: "user:a", status: "approved", actedBy: "user:boss", actedAs: "escalation" });
    expect(() => approve(t, "user:boss")).toThrow(/their escalation covers user:c and none of those seats is waiting/);
    t = approve(approve(t, "user:b"), "user:boss");
    expect(t.outcome).toBe("approved");
  });

  it("an instance stored before seats were covered one by one keeps its escalation, one seat per action", () => {
    const legacy: ApprovalState = { ...enterApproval(setup({ mode: "all", users: ["user:a", "user:b"] })), escalatedTo: ["user:boss"] };
    for (const slot of legacy.slots) delete slot.escalatedTo;
    const t = approve(legacy, "user:boss");
    expect(t.slots.map((x) => `${x.user}:${x.status}`)).toEqual(["user:a:approved", "user:b:pending"]);
  });

  it("never mutates its input", () => {
    const s = enterApproval(setup({ mode: "all", users: ["user:a", "user:b"] }));
    const frozen = structuredClone(s);
    approve(s, "user:a");
    act(s, { type: "addSigner", actor: "user:a", users: ["user:x"], position: "before" });
    act(s, { type: "transfer", actor: "user:a", to: "user:t" });
    expect(s).toEqual(frozen);
  });
});

// ---------------------------------------------------------------- properties

const USERS = ["user:a", "user:b", "user:c", "user:d", "user:e", "user:f"];

const voteCase = fc.record({
  n: fc.integer({ min: 1, max: 6 }),
  weights: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 6, maxLength: 6 }),
  threshold: fc.oneof(fc.integer({ min: 1, max: 20 }), fc.double({ min: 0.05, max: 0.95, noNaN: true })),
  responses: fc.array(fc.record({ who: fc.integer({ min: 0, max: 5 }), yes: fc.boolean() }), { maxLength: 12 }),
});

describe("properties", () => {
  test.prop([voteCase], { seed: 20260213, numRuns: 400 })("a vote finishes exactly when the threshold is reached or out of reach", ({ n, weights, threshold, responses }) => {
    const users = USERS.slice(0, n);
    const w = Object.fromEntries(users.map((u, i) => [u, weights[i]!]));
    let s = enterApproval(setup({ mode: "vote", users, weights: w, threshold }));
    const total = users.reduce((t, u) => t + w[u]!, 0);
    const needed = threshold < 1 ? threshold * total : threshold;
    const votes = new Map<string, boolean>();
    const expected = (): string | undefined => {
      const yes = [...votes].filter(([, v]) => v).reduce((t, [u]) => t + w[u]!, 0);
      const open = users.filter((u) => !votes.has(u)).reduce((t, u) => t + w[u]!, 0);
      if (yes >= needed - 1e-9) return "approved";
      if (yes + open < needed - 1e-9) return "rejected";
      return undefined;
    };
    expect(s.outcome).toBe(expected());
    for (const { who, yes } of responses) {
      const user = users[who % n]!;
      const decided = s.outcome !== undefined;
      const reason = authorize(s, { type: yes ? "approve" : "reject", actor: user, at: AT }, "user:init");
      if (decided || votes.has(user)) {
        expect(reason).toBeDefined();
        continue;
      }
      expect(reason).toBeUndefined();
      s = applyApproval(s, { type: yes ? "approve" : "reject", actor: user, at: AT });
      votes.set(user, yes);
      expect(s.outcome).toBe(expected());
    }
  });

  const op = fc.oneof(
    fc.record({ kind: fc.constant("approve" as const), who: fc.integer({ min: 0, max: 9 }) }),
    fc.record({ kind: fc.constant("reject" as const), who: fc.integer({ min: 0, max: 9 }) }),
    fc.record({ kind: fc.constant("add" as const), who: fc.integer({ min: 0, max: 9 }), user: fc.integer({ min: 0, max: 9 }) }),
    fc.record({ kind: fc.constant("remove" as const), who: fc.integer({ min: 0, max: 9 }), user: fc.integer({ min: 0, max: 9 }) }),
    fc.record({ kind: fc.constant("delegate" as const), who: fc.integer({ min: 0, max: 9 }), user: fc.integer({ min: 0, max: 9 }) }),
  );
  const people = (i: number): string => (i === 9 ? "user:init" : `user:p${i}`);

  test.prop([fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 25 }), fc.boolean()], { seed: 20260214, numRuns: 400 })(
    "all approves only when every live slot approved, and rejects on any rejection",
    (n, ops, selfPass) => {
      const users = Array.from({ length: n }, (_, i) => people(i + (selfPass ? 4 : 0)));
      let s = enterApproval(setup({ mode: "all", users, selfApproval: selfPass ? "auto-pass" : "require" }));
      const check = (st: ApprovalState): void => {
        const live = st.slots.filter((x) => x.status !== "removed");
        const allYes = live.length > 0 && live.every((x) => x.status === "approved" || x.status === "auto-passed");
        const anyNo = live.some((x) => x.status === "rejected");
        expect(st.outcome).toBe(anyNo ? "rejected" : allYes ? "approved" : undefined);
        // while undecided, every pending slot can act: countersign is parallel
        if (!st.outcome) expect(currentSlots(st).length).toBe(st.slots.filter((x) => x.status === "pending").length);
      };
      check(s);
      for (const o of ops) {
        const actor = people(o.who);
        const action: ApprovalAction =
          o.kind === "approve" || o.kind === "reject"
            ? { type: o.kind, actor, at: AT }
            : o.kind === "add"
              ? { type: "addSigner", actor, users: [people(o.user)], position: "parallel", at: AT }
              : o.kind === "remove"
                ? { type: "removeSigner", actor, user: people(o.user), at: AT }
                : { type: "delegate", actor, to: people(o.user), at: AT };
        const before = structuredClone(s);
        if (authorize(s, action, "user:init") !== undefined) continue;
        s = applyApproval(s, action);
        expect(before.outcome).toBeUndefined();
        check(s);
        // never the last pending slot removed while undecided
        if (!s.outcome) expect(s.slots.some((x) => x.status === "pending")).toBe(true);
      }
    },
  );
});
