// DAG runs drawn as SVG: dagre lays the graph out left to right, each task a box coloured by
// its state (CSS classes tone-*), with its run time under its id.
import dagre from '@dagrejs/dagre';
import { formatMs, stateTone, type DagGraph } from './shape';
import { esc } from './dom';

export interface PlacedNode {
  id: string;
  x: number; // centre
  y: number;
  width: number;
  height: number;
}

export interface DagLayout {
  width: number;
  height: number;
  nodes: Map<string, PlacedNode>;
  edges: { from: string; to: string; points: { x: number; y: number }[] }[];
}

const NODE_W = 132;
const NODE_H = 44;

export function layoutDag(graph: DagGraph): DagLayout {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 42, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: NODE_W, height: NODE_H });
  for (const e of graph.edges) g.setEdge(e.from, e.to);
  dagre.layout(g);
  const nodes = new Map<string, PlacedNode>();
  for (const n of graph.nodes) {
    const p = g.node(n.id);
    nodes.set(n.id, { id: n.id, x: p.x, y: p.y, width: NODE_W, height: NODE_H });
  }
  const edges = graph.edges.map((e) => ({
    from: e.from,
    to: e.to,
    points: (g.edge(e.from, e.to)?.points ?? []).map((p: { x: number; y: number }) => ({ x: p.x, y: p.y })),
  }));
  const label = g.graph();
  return { width: Math.ceil(label.width ?? 0), height: Math.ceil(label.height ?? 0), nodes, edges };
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function dagSvg(graph: DagGraph, runId: string): string {
  const layout = layoutDag(graph);
  const parts: string[] = [];
  for (const e of layout.edges) {
    if (e.points.length === 0) continue;
    const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    parts.push(`<path class="dag-edge" d="${d}" marker-end="url(#arrow-${esc(runId)})"/>`);
  }
  for (const n of graph.nodes) {
    const p = layout.nodes.get(n.id)!;
    const x = p.x - p.width / 2;
    const y = p.y - p.height / 2;
    const time = n.runMs === null ? n.state : `${n.state} · ${formatMs(n.runMs)}`;
    parts.push(
      `<g class="dag-node tone-${stateTone(n.state)}" data-task="${esc(n.id)}" data-state="${esc(n.state)}">` +
        `<title>${esc(`${n.id} (${n.kind}) ${time}${n.ranOn ? ` on ${n.ranOn}` : ''}`)}</title>` +
        `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${p.width}" height="${p.height}" rx="6"/>` +
        `<text x="${p.x.toFixed(1)}" y="${(p.y - 4).toFixed(1)}" class="dag-id">${esc(shorten(n.id, 18))}</text>` +
        `<text x="${p.x.toFixed(1)}" y="${(p.y + 12).toFixed(1)}" class="dag-time">${esc(time)}</text>` +
        `</g>`,
    );
  }
  return (
    `<svg class="dag" role="img" aria-label="DAG run ${esc(runId)}" viewBox="0 0 ${layout.width} ${layout.height}" ` +
    `width="${layout.width}" height="${layout.height}">` +
    `<defs><marker id="arrow-${esc(runId)}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
    `<path d="M0,0 L10,5 L0,10 z" class="dag-arrow"/></marker></defs>` +
    parts.join('') +
    `</svg>`
  );
}
