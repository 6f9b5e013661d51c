/** Loading workflow documents: every shape and meaning problem at once, each with its JSON path. */
import { describe, expect, it } from "vitest";
import { formatIssue, validateDefinition } from "../src/index.js";

const printed = (doc: unknown): string[] => {
  const r = validateDefinition(doc);
  expect(r.ok).toBe(false);
  return r.issues.map(formatIssue);
};

describe("workflow validation reports every problem at once", () => {
  it("a bad duration does not hide an escalate without to, a misspelled route or business time without a calendar", () => {
    const doc = {
      kind: "workflow",
      id: "wf",
      version: 1,
      start: "review",
      nodes: {
        review: {
          type: "approval",
          assignees: ["role:compliance"],
          escalation: [
            { after: "3h", action: "remind" },
            { after: "PT3H", action: "escalate" },
            { after: "P2D", business: true, action: "auto-reject" },
          ],
          onApprove: "aproved",
          onReject: "rejected",
        },
        approved: { type: "end", outcome: "approved" },
        rejected: { type: "end", outcome: "rejected" },
      },
    };
    expect(printed(doc)).toEqual([
      "nodes.review.escalation[0].after: expected an ISO-8601 duration such as PT3H, P2D or P1DT4H",
      'nodes.review.onApprove: no node "aproved"; did you mean "approved"?',
      'nodes.review.escalation[1].to: "escalate" needs "to", e.g. "role:compliance-lead"',
      'nodes.review.escalation[2].business: business time needs the workflow to name a "calendar" (e.g. "cn-mainland")',
    ]);
  });

  it("meaning problems of every node are listed beside shape problems of others", () => {
    const doc = {
      kind: "workflow",
      id: "wf",
      version: 1,
      start: "begin",
      nodes: {
        check: { type: "decision", routes: { yes: "fork" }, bogus: 1 },
        fork: { type: "branch", mode: "parallel", branches: [{ to: "w" }, { to: "v" }] },
        w: { type: "wait", next: "done", business: true },
        v: { type: "approval", mode: "vote", assignees: ["user:a"], onApprove: "done", onReject: "done" },
        t: { type: "task", handler: "h", next: "done", timeout: "soon" },
        done: { type: "end", outcome: "ok" },
      },
    };
    expect(printed(doc)).toEqual([
      "nodes.check.bogus: unknown field; check the spelling or remove it",
      "nodes.t.timeout: expected an ISO-8601 duration such as PT3H, P2D or P1DT4H",
      'start: no node "begin"; nodes are check, fork, w, v, t, done',
      'nodes.check: a decision node names exactly one of "ruleset" or "table"',
      'nodes.fork.join: a parallel branch needs "join": the join node where its branches meet',
      'nodes.w: a wait node needs "event", "after" or "until"',
      'nodes.w.business: business time needs the workflow to name a "calendar" (e.g. "cn-mainland")',
      'nodes.v.vote: mode "vote" needs "vote": { "threshold": ... } (and optional weights)',
    ]);
  });

  it("a document whose nodes are not an object reports that alone, without crashing the meaning checks", () => {
    expect(printed({ kind: "workflow", id: "wf", version: 1, start: "a", nodes: 5 })).toEqual(["nodes: expected a record, got 5"]);
    const lines = printed({ kind: "workflow", id: "wf", version: 1, start: "a", nodes: { a: 7, b: { type: "nope" }, c: { type: "end", outcome: "x" } } });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe("nodes.a: expected an object, got 7");
    expect(lines[1]).toMatch(/^nodes\.b\.type: /);
  });

  it("a valid document still loads", () => {
    const doc = {
      kind: "workflow",
      id: "wf",
      version: 1,
      calendar: "cn-mainland",
      start: "a",
      nodes: {
        a: { type: "approval", assignees: ["user:a"], escalation: [{ after: "PT3H", business: true, action: "escalate", to: "user:boss" }], onApprove: "done", onReject: "done" },
        done: { type: "end", outcome: "ok" },
      },
    };
    expect(validateDefinition(doc).issues).toEqual([]);
  });
});

describe("declared facts", () => {
  it("input, initiator, results and event are known everywhere in a workflow, conditions included, without listing them", () => {
    const doc = {
      kind: "workflow",
      id: "wf",
      version: 1,
      facts: ["contract"],
      start: "score",
      nodes: {
        score: { type: "task", handler: "score", input: { amount: { expr: "contract.amount" } }, next: "route" },
        route: {
          type: "branch",
          branches: [
            { when: { fact: "results.score.grade", op: "eq", value: "A" }, to: "done" },
            { when: { expr: 'initiator == "user:li" and input.contract.amount > 0' }, to: "done" },
          ],
          default: "done",
        },
        done: { type: "end", outcome: "ok" },
      },
      triggers: [{ on: "contract.signed", when: { fact: "event.data.contract.amount", op: "gt", value: 0 } }],
    };
    expect(validateDefinition(doc).issues.map(formatIssue)).toEqual([]);
    // anything else still has to be declared
    const typo = { ...doc, nodes: { ...doc.nodes, route: { type: "branch", branches: [{ when: { fact: "contrat.amount", op: "gt", value: 0 }, to: "done" }], default: "done" } } };
    expect(printed(typo)).toEqual([expect.stringMatching(/^nodes\.route\.branches\[0\]\.when\.fact: unknown fact "contrat\.amount"/)]);
  });
});
