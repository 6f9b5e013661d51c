/**
 * Lay the diagram's graph out with elkjs (the bundled build, which runs in
 * the page without a worker): layered, top to bottom, orthogonal edges, edge
 * labels placed by ELK so they do not overlap boxes.
 *
 * elkjs is most of the components' weight (about 435 KiB gzipped), so it is
 * loaded by `import()` on the first layout: a page (the studio, a host's app)
 * downloads it only when a diagram is shown. Bundlers put it in a chunk of
 * its own.
 */
import type { ELK, ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api.js";
import { bounds, textWidth, type Point, type Rect } from "./geometry.js";
import { METRICS, type DiagramGraph, type GraphEdge, type GraphNode } from "./model.js";

/** A node with its place. */
export interface PlacedNode extends GraphNode {
  x: number;
  y: number;
}

/** An edge with its route (first point on the source's border, last on the target's) and its label's box. */
export interface PlacedEdge extends GraphEdge {
  points: Point[];
  labelBox: Rect | undefined;
}

/** The laid-out diagram: everything in one coordinate space starting at 0, 0. */
export interface DiagramLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  /** The start marker (a circle) and its arrow to the start node. */
  start: { rect: Rect; points: Point[] } | undefined;
  width: number;
  height: number;
}

/** The id of the start marker in the ELK graph (not a valid node id, so it never clashes). */
export const START_ID = "#start";
/** The start marker's diameter. */
export const START_SIZE = 24;

const LAYOUT_OPTIONS: Record<string, string> = {
  "elk.algorithm": "layered",
  "elk.direction": "DOWN",
  "elk.edgeRouting": "ORTHOGONAL",
  "elk.spacing.nodeNode": "36",
  "elk.layered.spacing.nodeNodeBetweenLayers": "48",
  "elk.layered.spacing.edgeNodeBetweenLayers": "16",
  "elk.spacing.edgeLabel": "4",
  "elk.spacing.edgeNode": "16",
  "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX",
  "elk.padding": "[top=12,left=12,bottom=12,right=12]",
};

/** The layout engine, loaded and created once, on the first layout. */
let elk: Promise<ELK> | undefined;

function loadElk(): Promise<ELK> {
  elk ??= import("elkjs/lib/elk.bundled.js").then(
    (m) => new m.default(),
    (e: unknown) => {
      elk = undefined; // a failed download (offline) is tried again on the next layout
      throw e;
    },
  );
  return elk;
}

/** Size of an edge label's box. */
function labelSize(text: string): { width: number; height: number } {
  return { width: Math.ceil(textWidth(text, METRICS.labelSize) + 8), height: METRICS.labelSize + 6 };
}

/** Lay out a graph. Deterministic for the same graph. */
export async function layoutGraph(graph: DiagramGraph): Promise<DiagramLayout> {
  const engine = await loadElk();
  const children: ElkNode[] = graph.nodes.map((n) => ({ id: n.id, width: n.width, height: n.height }));
  const edges: ElkExtendedEdge[] = graph.edges.map((e) => ({
    id: e.id,
    sources: [e.from],
    targets: [e.to],
    ...(e.label ? { labels: [{ text: e.label, ...labelSize(e.label), layoutOptions: { "elk.edgeLabels.placement": "CENTER" } }] } : {}),
  }));
  if (graph.start !== undefined) {
    children.unshift({ id: START_ID, width: START_SIZE, height: START_SIZE, layoutOptions: { "elk.layered.layering.layerConstraint": "FIRST" } });
    edges.unshift({ id: `${START_ID}->${graph.start}`, sources: [START_ID], targets: [graph.start] });
  }
  const root: ElkNode = { id: "root", layoutOptions: LAYOUT_OPTIONS, children, edges };
  const out: ElkNode = await engine.layout(root);
  const pos = new Map((out.children ?? []).map((c) => [c.id, c]));
  const routes = new Map((out.edges ?? []).map((e) => [e.id, e]));
  const pointsOf = (id: string): Point[] => {
    const e = routes.get(id);
    const pts: Point[] = [];
    for (const s of e?.sections ?? []) {
      if (pts.length === 0) pts.push(s.startPoint);
      for (const b of s.bendPoints ?? []) pts.push(b);
      pts.push(s.endPoint);
    }
    return pts.map((p) => ({ x: p.x, y: p.y }));
  };
  const nodes: PlacedNode[] = graph.nodes.map((n) => ({ ...n, x: pos.get(n.id)?.x ?? 0, y: pos.get(n.id)?.y ?? 0 }));
  const placedEdges: PlacedEdge[] = graph.edges.map((e) => {
    const label = routes.get(e.id)?.labels?.[0];
    const labelBox = label && e.label ? { x: label.x ?? 0, y: label.y ?? 0, width: label.width ?? 0, height: label.height ?? 0 } : undefined;
    return { ...e, points: pointsOf(e.id), labelBox };
  });
  const s = pos.get(START_ID);
  const start = graph.start !== undefined && s ? { rect: { x: s.x ?? 0, y: s.y ?? 0, width: START_SIZE, height: START_SIZE }, points: pointsOf(`${START_ID}->${graph.start}`) } : undefined;
  const box = bounds(
    [...nodes.map((n) => ({ x: n.x, y: n.y, width: n.width, height: n.height })), ...placedEdges.flatMap((e) => (e.labelBox ? [e.labelBox] : [])), ...(start ? [start.rect] : [])],
    placedEdges.flatMap((e) => e.points),
  );
  return { nodes, edges: placedEdges, start, width: Math.ceil(Math.max(out.width ?? 0, box.x + box.width) + 12), height: Math.ceil(Math.max(out.height ?? 0, box.y + box.height) + 12) };
}
