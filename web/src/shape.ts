// Data shaping for the dashboard: everything the views show that is computed rather than
// copied from the snapshot. Pure functions and small containers, no DOM, so they are unit
// tested (test/shape.test.ts).
import type {
  DagRun,
  DashboardNode,
  HistogramReading,
  Latency,
  Snapshot,
  Task,
  Trigger,
} from './types';

export const CLASSES = ['critical', 'standard', 'batch', 'sheddable'] as const;
export const PERCENTILES = [0.5, 0.9, 0.99] as const;

// ---- latency percentiles from cumulative histogram readings -----------------------------

/**
 * Requests per bucket (not cumulative, +Inf last) observed between two readings of the same
 * histogram. Without an earlier reading, or when the counts went down (the gateway
 * restarted), the current reading alone.
 */
export function bucketDelta(prev: HistogramReading | undefined, cur: HistogramReading): number[] {
  const restarted = !prev || prev.cumulative.length !== cur.cumulative.length || cur.count < prev.count;
  const base = restarted ? undefined : prev;
  const out: number[] = [];
  for (let i = 0; i < cur.cumulative.length; i++) {
    const now = cur.cumulative[i] - (base ? base.cumulative[i] : 0);
    const before = i === 0 ? 0 : cur.cumulative[i - 1] - (base ? base.cumulative[i - 1] : 0);
    out.push(Math.max(0, now - before));
  }
  return out;
}

/**
 * The q-quantile (0..1) of per-bucket counts, interpolated linearly inside its bucket as
 * Prometheus' histogram_quantile does; in the +Inf bucket, the highest finite bound. Null
 * when the buckets are empty.
 */
export function quantile(boundsS: number[], counts: number[], q: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0 || seen + counts[i] < rank) {
      seen += counts[i];
      continue;
    }
    if (i >= boundsS.length) return boundsS[boundsS.length - 1] ?? null;
    const lower = i === 0 ? 0 : boundsS[i - 1];
    const upper = boundsS[i];
    return lower + (upper - lower) * ((rank - seen) / counts[i]);
  }
  return boundsS[boundsS.length - 1] ?? null;
}

export interface Percentiles {
  p50: number | null; // milliseconds
  p90: number | null;
  p99: number | null;
  count: number; // requests in the window
}

export function windowPercentiles(
  boundsS: number[],
  prev: HistogramReading | undefined,
  cur: HistogramReading,
): Percentiles {
  const counts = bucketDelta(prev, cur);
  const ms = (q: number) => {
    const s = quantile(boundsS, counts, q);
    return s === null ? null : s * 1000;
  };
  return { p50: ms(0.5), p90: ms(0.9), p99: ms(0.99), count: counts.reduce((a, b) => a + b, 0) };
}

/** Events per second between two readings of a counter; null after a restart or no time. */
export function ratePerSecond(prevTotal: number, curTotal: number, dtMs: number): number | null {
  if (dtMs <= 0 || curTotal < prevTotal) return null;
  return ((curTotal - prevTotal) * 1000) / dtMs;
}

// ---- history kept by the page -----------------------------------------------------------

/** A fixed-size buffer that forgets its oldest entries. */
export class Ring<T> {
  private items: T[] = [];
  constructor(readonly capacity: number) {}
  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }
  toArray(): readonly T[] {
    return this.items;
  }
  get length(): number {
    return this.items.length;
  }
  last(): T | undefined {
    return this.items[this.items.length - 1];
  }
}

export interface SchedulerSample {
  t: number; // seconds since the epoch
  queue: Record<string, number>;
  queued: number; // all classes
  inFlight: number;
  dispatchRate: number | null; // per second
  ttft: Percentiles;
  e2e: Percentiles;
}

export interface NodeSample {
  t: number;
  gpu: number | null;
  kv: number | null;
  inFlight: number;
}

/**
 * What the page remembers of past snapshots: scheduler samples for the charts and a few
 * numbers per node for the sparklines. Nodes that leave are forgotten.
 */
export class History {
  readonly scheduler: Ring<SchedulerSample>;
  readonly nodes = new Map<string, Ring<NodeSample>>();
  private previous: Snapshot | undefined;

  constructor(readonly capacity = 300) {
    this.scheduler = new Ring(capacity);
  }

  add(snap: Snapshot): SchedulerSample {
    const prev = this.previous;
    const sample = schedulerSample(prev, snap);
    this.scheduler.push(sample);
    const seen = new Set<string>();
    for (const node of snap.nodes) {
      seen.add(node.id);
      let ring = this.nodes.get(node.id);
      if (!ring) {
        ring = new Ring(this.capacity);
        this.nodes.set(node.id, ring);
      }
      ring.push({
        t: sample.t,
        gpu: node.metrics.gpu_util ?? null,
        kv: node.metrics.kv_cache_usage ?? null,
        inFlight: node.in_flight ?? node.pending,
      });
    }
    for (const id of [...this.nodes.keys()]) if (!seen.has(id)) this.nodes.delete(id);
    this.previous = snap;
    return sample;
  }
}

export function schedulerSample(prev: Snapshot | undefined, snap: Snapshot): SchedulerSample {
  const queue: Record<string, number> = {};
  let queued = 0;
  for (const [name, n] of Object.entries(snap.scheduler.queue)) {
    queue[name] = n;
    queued += n;
  }
  const lat: Latency = snap.latency;
  const prevLat = prev?.latency;
  return {
    t: snap.at_ms / 1000,
    queue,
    queued,
    inFlight: snap.scheduler.in_flight,
    dispatchRate: prev
      ? ratePerSecond(prev.scheduler.dispatched_total, snap.scheduler.dispatched_total, snap.at_ms - prev.at_ms)
      : null,
    ttft: windowPercentiles(lat.bounds_s, prevLat?.ttft, lat.ttft),
    e2e: windowPercentiles(lat.bounds_s, prevLat?.e2e, lat.e2e),
  };
}

// ---- nodes ------------------------------------------------------------------------------

export type Tone = 'ok' | 'warn' | 'bad' | 'idle' | 'run';

export function stateTone(state: string): Tone {
  switch (state) {
    case 'healthy':
    case 'succeeded':
    case 'closed':
      return 'ok';
    case 'degraded':
    case 'draining':
    case 'joining':
    case 'half_open':
    case 'skipped':
      return 'warn';
    case 'down':
    case 'ejected':
    case 'failed':
    case 'open':
      return 'bad';
    case 'running':
    case 'queued':
      return 'run';
    default:
      return 'idle'; // pending, cancelled, unknown
  }
}

/** Why a node needs a look, one short phrase each; empty for a node that is fine. */
export function nodeProblems(node: DashboardNode): string[] {
  const out: string[] = [];
  if (node.state !== 'healthy') out.push(node.reason ? `${node.state}: ${node.reason}` : node.state);
  if (node.outlier.ejected) {
    out.push(`ejected${node.outlier.last_reason ? `: ${node.outlier.last_reason}` : ''}`);
  }
  if (node.breaker !== 'closed') out.push(`breaker ${node.breaker.replace('_', '-')}`);
  if (node.scrape_error) out.push(`metrics: ${node.scrape_error}`);
  return out;
}

export function memoryShare(node: DashboardNode): number | null {
  const { gpu_mem_used_bytes: used, gpu_mem_total_bytes: total } = node.metrics;
  return used !== undefined && total !== undefined && total > 0 ? used / total : null;
}

export interface ClusterSummary {
  total: number;
  acceptingWork: number;
  byState: Record<string, number>;
  ejected: number;
  breakersOpen: number;
}

export function clusterSummary(nodes: DashboardNode[]): ClusterSummary {
  const byState: Record<string, number> = {};
  let acceptingWork = 0;
  let ejected = 0;
  let breakersOpen = 0;
  for (const n of nodes) {
    byState[n.state] = (byState[n.state] ?? 0) + 1;
    if (n.accepts_work) acceptingWork++;
    if (n.outlier.ejected) ejected++;
    if (n.breaker !== 'closed') breakersOpen++;
  }
  return { total: nodes.length, acceptingWork, byState, ejected, breakersOpen };
}

export type NodeSortKey = 'id' | 'state' | 'gpu' | 'cpu' | 'kv' | 'score' | 'in_flight' | 'ttft';

export interface NodeFilter {
  text: string; // matches id, URL, model, label values
  problemsOnly: boolean;
  sort: NodeSortKey;
  descending: boolean;
}

function sortValue(n: DashboardNode, key: NodeSortKey): number | string {
  switch (key) {
    case 'id':
      return n.id;
    case 'state':
      return n.state;
    case 'gpu':
      return n.metrics.gpu_util ?? -1;
    case 'cpu':
      return n.metrics.cpu_util ?? -1;
    case 'kv':
      return n.metrics.kv_cache_usage ?? -1;
    case 'score':
      return n.eligible ? (n.score ?? -1) : -1;
    case 'in_flight':
      return n.in_flight ?? n.pending;
    case 'ttft':
      return n.ewma && n.ewma.samples > 0 ? n.ewma.ttft_ms : -1;
  }
}

const byName = new Intl.Collator('en', { numeric: true });

/** The nodes to show, filtered and sorted; ties keep id order so rows do not jump. Ids
 *  sort naturally (gpu-2 before gpu-10). */
export function selectNodes(nodes: DashboardNode[], f: NodeFilter): DashboardNode[] {
  const text = f.text.trim().toLowerCase();
  const matches = (n: DashboardNode) =>
    !text ||
    n.id.toLowerCase().includes(text) ||
    n.url.toLowerCase().includes(text) ||
    n.models.some((m) => m.toLowerCase().includes(text)) ||
    Object.values(n.labels).some((v) => v.toLowerCase().includes(text));
  const out = nodes.filter((n) => matches(n) && (!f.problemsOnly || nodeProblems(n).length > 0));
  const dir = f.descending ? -1 : 1;
  return out.sort((a, b) => {
    const va = sortValue(a, f.sort);
    const vb = sortValue(b, f.sort);
    const order = typeof va === 'string' && typeof vb === 'string' ? byName.compare(va, vb) : va < vb ? -1 : va > vb ? 1 : 0;
    return order !== 0 ? order * dir : byName.compare(a.id, b.id);
  });
}

export interface Page<T> {
  items: T[];
  index: number; // the page shown, clamped to the pages there are
  pages: number;
  first: number; // 1-based position of the first item shown, 0 when none
  last: number;
}

/** One page of `size` items; a page past the end shows the last one. */
export function pageOf<T>(items: T[], index: number, size: number): Page<T> {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const i = Math.min(Math.max(0, index), pages - 1);
  const shown = items.slice(i * size, (i + 1) * size);
  return { items: shown, index: i, pages, first: shown.length ? i * size + 1 : 0, last: i * size + shown.length };
}

// ---- scheduler --------------------------------------------------------------------------

export interface PipelineParts {
  filters: string[];
  scorers: { name: string; weight: number }[];
  picker: string;
}

/** Reads the scheduler's "filters: a, b | scorers: x*0.6, y*0.4 | picker: max_score". */
export function parsePipeline(text: string): PipelineParts {
  const out: PipelineParts = { filters: [], scorers: [], picker: '' };
  for (const part of text.split('|')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const key = part.slice(0, colon).trim();
    const items = part
      .slice(colon + 1)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s && s !== 'none');
    if (key === 'filters') out.filters = items;
    else if (key === 'picker') out.picker = items[0] ?? '';
    else if (key === 'scorers') {
      out.scorers = items.map((s) => {
        const star = s.lastIndexOf('*');
        return star < 0
          ? { name: s, weight: 1 }
          : { name: s.slice(0, star), weight: Number(s.slice(star + 1)) };
      });
    }
  }
  return out;
}

export function sumClasses(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

// ---- work -------------------------------------------------------------------------------

export interface TaskFilter {
  state: string; // "" for every state
  text: string; // matches id, kind, model, tenant, node, error
}

export function selectTasks(tasks: Task[], f: TaskFilter): Task[] {
  const text = f.text.trim().toLowerCase();
  return tasks.filter((t) => {
    if (f.state && t.state !== f.state) return false;
    if (!text) return true;
    return [t.id, t.kind, t.model, t.tenant ?? '', t.ran_on ?? '', t.error ?? '', t.dag_run ?? '']
      .some((v) => v.toLowerCase().includes(text));
  });
}

export function countByState<T extends { state: string }>(items: T[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of items) out[i.state] = (out[i.state] ?? 0) + 1;
  return out;
}

const parseTime = (s: string | null | undefined) => (s ? Date.parse(s) : NaN);

/** Time from creation to start and from start to finish (or to `nowMs` while running). */
export function taskTimings(t: Task, nowMs: number): { waitMs: number | null; runMs: number | null } {
  const created = parseTime(t.created_at);
  const started = parseTime(t.started_at);
  const finished = parseTime(t.finished_at);
  const waitEnd = Number.isNaN(started) ? (Number.isNaN(finished) ? nowMs : NaN) : started;
  return {
    waitMs: Number.isNaN(created) || Number.isNaN(waitEnd) ? null : Math.max(0, waitEnd - created),
    runMs: Number.isNaN(started) ? null : Math.max(0, (Number.isNaN(finished) ? nowMs : finished) - started),
  };
}

export interface DagGraph {
  nodes: { id: string; state: string; kind: string; runMs: number | null; ranOn: string }[];
  edges: { from: string; to: string }[];
}

/** A DAG run as a graph: one node per task, an edge from each upstream task it requires. */
export function dagGraph(run: DagRun, nowMs: number): DagGraph {
  const ids = new Set(run.tasks.map((t) => t.id));
  return {
    nodes: run.tasks.map((t) => ({
      id: t.id,
      state: t.state,
      kind: t.kind,
      runMs: taskTimings(t, nowMs).runMs,
      ranOn: t.ran_on ?? '',
    })),
    edges: run.tasks.flatMap((t) =>
      (t.requires ?? []).filter((r) => ids.has(r)).map((r) => ({ from: r, to: t.id })),
    ),
  };
}

/** "in 42 s", "in 3 min", "due now", or "—" for a trigger that will not fire. */
export function nextFireText(trigger: Trigger, nowMs: number): string {
  const at = parseTime(trigger.next_fire);
  if (!trigger.enabled || Number.isNaN(at)) return '—';
  const s = Math.round((at - nowMs) / 1000);
  if (s <= 0) return 'due now';
  return `in ${formatSeconds(s)}`;
}

// ---- formatting -------------------------------------------------------------------------

export function formatSeconds(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  if (ms <= 0) return '0 ms';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatShare(x: number | null | undefined): string {
  return x === null || x === undefined ? '—' : `${Math.round(x * 100)}%`;
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(n < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
}

export function formatRate(perSecond: number | null): string {
  return perSecond === null ? '—' : `${perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond)}/s`;
}
