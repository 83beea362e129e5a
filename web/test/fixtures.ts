// Snapshots as the gateway sends them, small enough to read in a test.
import type { DagRun, DashboardNode, HistogramReading, Snapshot } from '../src/types';

export const BOUNDS = [0.005, 0.01, 0.02, 0.04, 0.08];

export function reading(perBucket: number[]): HistogramReading {
  const cumulative: number[] = [];
  let total = 0;
  for (const n of perBucket) cumulative.push((total += n));
  return { cumulative, count: total, sum: 0 };
}

export function node(id: string, over: Partial<DashboardNode> = {}): DashboardNode {
  return {
    id,
    url: `http://127.0.0.1:9000/${id}`,
    models: ['autoglm-sim-8b'],
    labels: { gpu: 'h100' },
    capacity: 0,
    state: 'healthy',
    reason: '',
    since_s: 10,
    accepts_work: true,
    source: 'config',
    metrics: { gpu_util: 0.5, gpu_mem_used_bytes: 40, gpu_mem_total_bytes: 80, kv_cache_usage: 0.25 },
    outlier: { ejected: false, times_ejected: 0, total_ejections: 0, consecutive_5xx: 0, consecutive_gateway_failures: 0 },
    breaker: 'closed',
    pending: 0,
    slow_start: 1,
    score: 0.5,
    eligible: true,
    in_flight: 0,
    failures: 0,
    ewma: { ttft_ms: 0, tpot_ms: 0, e2e_ms: 0, samples: 0, weight: 1 },
    ...over,
  };
}

export function snapshot(atMs: number, over: Partial<Snapshot> = {}): Snapshot {
  return {
    object: 'dashboard',
    version: '0.1.0',
    at: new Date(atMs).toISOString(),
    at_ms: atMs,
    nodes: [node('gpu-0'), node('gpu-1')],
    scheduler: {
      policy: 'dynamic',
      pipeline: 'filters: healthy | scorers: seed_load*0.6, latency_weight*0.4 | picker: max_score',
      queue: { critical: 0, standard: 2, batch: 1, sheddable: 0 },
      in_flight: 3,
      dispatched_total: 100,
      shed_total: {},
      timed_out_total: {},
      rejected_total: {},
      preempted_total: 0,
      evacuated_total: 0,
    },
    latency: { bounds_s: BOUNDS, ttft: reading([0, 0, 0, 0, 0, 0]), e2e: reading([0, 0, 0, 0, 0, 0]) },
    work: { enabled: true, tasks: [], dag_runs: [], triggers: [], events: [] },
    ...over,
  };
}

export function diamond(): DagRun {
  const task = (id: string, state: string, requires: string[]) => ({
    id,
    task_id: String(requires.length + 1),
    kind: 'chat',
    model: 'autoglm-sim-8b',
    priority: 3,
    state,
    attempts: 1,
    failures: 0,
    created_at: '2025-06-01T10:00:00.000Z',
    started_at: state === 'pending' ? null : '2025-06-01T10:00:01.000Z',
    finished_at: state === 'succeeded' ? '2025-06-01T10:00:03.500Z' : null,
    requires,
  });
  return {
    id: '9',
    name: 'diamond',
    state: 'running',
    max_parallelism: 0,
    created_at: '2025-06-01T10:00:00.000Z',
    finished_at: null,
    tasks: [task('a', 'succeeded', []), task('b', 'running', ['a']), task('c', 'succeeded', ['a']), task('d', 'pending', ['b', 'c', 'gone'])],
  };
}
