import { describe, expect, it } from 'vitest';
import {
  History,
  bucketDelta,
  clusterSummary,
  dagGraph,
  nextFireText,
  nodeProblems,
  pageOf,
  parsePipeline,
  quantile,
  ratePerSecond,
  selectNodes,
  selectTasks,
  taskTimings,
  windowPercentiles,
  formatMs,
  formatBytes,
} from '../src/shape';
import type { Task, Trigger } from '../src/types';
import { BOUNDS, diamond, node, reading, snapshot } from './fixtures';

describe('latency percentiles', () => {
  it('interpolates inside the bucket that holds the rank', () => {
    // 10 requests between 10 and 20 ms: the median is half way through that bucket.
    expect(quantile(BOUNDS, [0, 0, 10, 0, 0, 0], 0.5)).toBeCloseTo(0.015);
    expect(quantile(BOUNDS, [0, 0, 10, 0, 0, 0], 1)).toBeCloseTo(0.02);
    expect(quantile(BOUNDS, [0, 0, 0, 0, 0, 0], 0.5)).toBeNull();
  });

  it('reports the highest bound for requests beyond it', () => {
    expect(quantile(BOUNDS, [0, 0, 0, 0, 0, 4], 0.99)).toBe(0.08);
  });

  it('uses only what happened between two readings', () => {
    const before = reading([5, 0, 0, 0, 0, 0]);
    const after = reading([5, 0, 0, 4, 0, 0]);
    expect(bucketDelta(before, after)).toEqual([0, 0, 0, 4, 0, 0]);
    const p = windowPercentiles(BOUNDS, before, after);
    expect(p.count).toBe(4);
    expect(p.p50).toBeCloseTo(30); // ms, inside (20, 40]
    expect(p.p99!).toBeGreaterThan(p.p50!);
  });

  it('starts over when the counts go down (the gateway restarted)', () => {
    expect(bucketDelta(reading([9, 9, 0, 0, 0, 0]), reading([1, 0, 0, 0, 0, 0]))).toEqual([1, 0, 0, 0, 0, 0]);
  });
});

describe('rates and history', () => {
  it('computes a per-second rate and refuses a counter that went back', () => {
    expect(ratePerSecond(100, 150, 500)).toBe(100);
    expect(ratePerSecond(100, 10, 1000)).toBeNull();
    expect(ratePerSecond(1, 2, 0)).toBeNull();
  });

  it('keeps a bounded history and forgets nodes that left', () => {
    const h = new History(3);
    const first = snapshot(1000);
    h.add(first);
    const second = snapshot(2000, {
      scheduler: { ...first.scheduler, dispatched_total: 130 },
      latency: { bounds_s: BOUNDS, ttft: reading([0, 2, 0, 0, 0, 0]), e2e: reading([0, 0, 0, 2, 0, 0]) },
    });
    const sample = h.add(second);
    expect(sample.dispatchRate).toBe(30);
    expect(sample.queued).toBe(3);
    expect(sample.ttft.count).toBe(2);
    for (let t = 3; t <= 6; t++) h.add(snapshot(t * 1000, { nodes: [node('gpu-0')] }));
    expect(h.scheduler.length).toBe(3);
    expect(h.nodes.get('gpu-0')!.length).toBe(3);
    expect(h.nodes.has('gpu-1')).toBe(false);
  });
});

describe('nodes', () => {
  const sick = node('gpu-9', {
    state: 'ejected',
    reason: '5 consecutive 5xx',
    accepts_work: false,
    breaker: 'half_open',
    outlier: { ejected: true, times_ejected: 1, total_ejections: 2, consecutive_5xx: 5, consecutive_gateway_failures: 0, last_reason: 'consecutive_5xx' },
    metrics: { gpu_util: 0.95 },
  });

  it('names what is wrong with a node', () => {
    expect(nodeProblems(node('ok'))).toEqual([]);
    expect(nodeProblems(sick)).toEqual(['ejected: 5 consecutive 5xx', 'ejected: consecutive_5xx', 'breaker half-open']);
  });

  it('summarises the cluster', () => {
    const s = clusterSummary([node('a'), node('b'), sick]);
    expect(s).toEqual({ total: 3, acceptingWork: 2, byState: { healthy: 2, ejected: 1 }, ejected: 1, breakersOpen: 1 });
  });

  it('filters by text and problems, and sorts with a stable tie-break', () => {
    const nodes = [node('b', { metrics: { gpu_util: 0.2 } }), sick, node('a', { metrics: { gpu_util: 0.2 } })];
    const base = { text: '', problemsOnly: false, sort: 'gpu' as const, descending: true };
    expect(selectNodes(nodes, base).map((n) => n.id)).toEqual(['gpu-9', 'a', 'b']);
    expect(selectNodes(nodes, { ...base, problemsOnly: true }).map((n) => n.id)).toEqual(['gpu-9']);
    expect(selectNodes(nodes, { ...base, text: 'GPU-9' }).map((n) => n.id)).toEqual(['gpu-9']);
    expect(selectNodes(nodes, { ...base, text: 'h100' })).toHaveLength(3); // label value
    expect(selectNodes(nodes, { ...base, text: 'a100' })).toHaveLength(0);
  });

  it('sorts ids naturally', () => {
    const nodes = ['gpu-10', 'gpu-2', 'gpu-1'].map((id) => node(id));
    expect(selectNodes(nodes, { text: '', problemsOnly: false, sort: 'id', descending: false }).map((n) => n.id)).toEqual(['gpu-1', 'gpu-2', 'gpu-10']);
  });

  it('handles hundreds of nodes', () => {
    const many = Array.from({ length: 800 }, (_, i) => node(`n-${String(i).padStart(3, '0')}`, { metrics: { gpu_util: (i % 10) / 10 } }));
    const rows = selectNodes(many, { text: 'n-7', problemsOnly: false, sort: 'id', descending: false });
    expect(rows).toHaveLength(100); // n-700 .. n-799
    expect(rows[0].id).toBe('n-700');
    const busiest = selectNodes(many, { text: '', problemsOnly: false, sort: 'gpu', descending: true });
    expect(busiest.slice(0, 3).map((n) => n.id)).toEqual(['n-009', 'n-019', 'n-029']);
  });
});

describe('pages', () => {
  it('cuts a list into pages and clamps the page asked for', () => {
    const items = Array.from({ length: 250 }, (_, i) => i);
    expect(pageOf(items, 0, 100)).toMatchObject({ index: 0, pages: 3, first: 1, last: 100 });
    const last = pageOf(items, 7, 100);
    expect(last).toMatchObject({ index: 2, pages: 3, first: 201, last: 250 });
    expect(last.items).toHaveLength(50);
    expect(pageOf([], 3, 100)).toMatchObject({ index: 0, pages: 1, first: 0, last: 0, items: [] });
  });
});

describe('scheduler', () => {
  it('reads the policy pipeline with its weights', () => {
    expect(parsePipeline('filters: healthy, serves_model | scorers: seed_load*0.6, latency_weight*0.4 | picker: max_score')).toEqual({
      filters: ['healthy', 'serves_model'],
      scorers: [
        { name: 'seed_load', weight: 0.6 },
        { name: 'latency_weight', weight: 0.4 },
      ],
      picker: 'max_score',
    });
    expect(parsePipeline('filters: none | scorers: none | picker: round_robin')).toEqual({ filters: [], scorers: [], picker: 'round_robin' });
  });
});

describe('work', () => {
  const task = (id: string, state: string, over: Partial<Task> = {}): Task => ({
    id, kind: 'chat', model: 'm', priority: 3, state, attempts: 1, failures: 0,
    created_at: '2025-06-01T10:00:00.000Z', started_at: null, finished_at: null, tenant: 'default', ...over,
  });

  it('filters tasks by state and text', () => {
    const tasks = [task('1', 'running', { ran_on: 'gpu-3' }), task('2', 'failed', { error: 'timeout' }), task('3', 'running')];
    expect(selectTasks(tasks, { state: 'running', text: '' }).map((t) => t.id)).toEqual(['1', '3']);
    expect(selectTasks(tasks, { state: '', text: 'gpu-3' }).map((t) => t.id)).toEqual(['1']);
    expect(selectTasks(tasks, { state: '', text: 'TIMEOUT' }).map((t) => t.id)).toEqual(['2']);
  });

  it('times a task: waiting, running, finished', () => {
    const now = Date.parse('2025-06-01T10:00:10.000Z');
    expect(taskTimings(task('1', 'queued'), now)).toEqual({ waitMs: 10_000, runMs: null });
    expect(taskTimings(task('1', 'running', { started_at: '2025-06-01T10:00:02.000Z' }), now)).toEqual({ waitMs: 2000, runMs: 8000 });
    expect(
      taskTimings(task('1', 'succeeded', { started_at: '2025-06-01T10:00:02.000Z', finished_at: '2025-06-01T10:00:03.250Z' }), now),
    ).toEqual({ waitMs: 2000, runMs: 1250 });
    expect(taskTimings(task('1', 'skipped', { finished_at: '2025-06-01T10:00:03.000Z' }), now)).toEqual({ waitMs: null, runMs: null });
  });

  it('turns a DAG run into nodes and edges, ignoring unknown upstreams', () => {
    const g = dagGraph(diamond(), Date.parse('2025-06-01T10:00:05.000Z'));
    expect(g.nodes.map((n) => [n.id, n.state])).toEqual([['a', 'succeeded'], ['b', 'running'], ['c', 'succeeded'], ['d', 'pending']]);
    expect(g.edges).toEqual([{ from: 'a', to: 'b' }, { from: 'a', to: 'c' }, { from: 'b', to: 'd' }, { from: 'c', to: 'd' }]);
    expect(g.nodes[0].runMs).toBe(2500);
    expect(g.nodes[1].runMs).toBe(4000);
  });

  it('says when a trigger fires next', () => {
    const now = Date.parse('2025-06-01T10:00:00.000Z');
    const trigger = (next: string | null, enabled = true): Trigger => ({
      id: 't', object: 'cron_trigger', enabled, next_fire: next, last_fired: null, last_target: '', created_at: '', spec: {},
    });
    expect(nextFireText(trigger('2025-06-01T10:00:42.000Z'), now)).toBe('in 42 s');
    expect(nextFireText(trigger('2025-06-01T11:00:00.000Z'), now)).toBe('in 60 min');
    expect(nextFireText(trigger('2025-06-01T09:59:00.000Z'), now)).toBe('due now');
    expect(nextFireText(trigger('2025-06-01T10:00:42.000Z', false), now)).toBe('—');
  });
});

describe('formatting', () => {
  it('formats times and sizes for people', () => {
    expect(formatMs(null)).toBe('—');
    expect(formatMs(0)).toBe('0 ms');
    expect(formatMs(0.25)).toBe('0.25 ms');
    expect(formatMs(12.4)).toBe('12 ms');
    expect(formatMs(1500)).toBe('1.50 s');
    expect(formatBytes(80 * 1024 ** 3)).toBe('80 GiB');
  });
});
