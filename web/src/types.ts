// The wire format of GET /admin/v1/dashboard (and each event of /admin/v1/dashboard/stream),
// as docs/api.md describes it. Fields the gateway leaves out when unknown are optional.

export interface NodeMetrics {
  gpu_util?: number; // 0..1
  gpu_mem_used_bytes?: number;
  gpu_mem_total_bytes?: number;
  cpu_util?: number; // 0..1
  mem_util?: number;
  net_util?: number;
  power_watts?: number;
  backend_running?: number;
  backend_waiting?: number;
  kv_cache_usage?: number; // 0..1
}

export interface Ewma {
  ttft_ms: number;
  tpot_ms: number;
  e2e_ms: number;
  samples: number;
  weight: number;
}

export interface DashboardNode {
  id: string;
  url: string;
  models: string[];
  labels: Record<string, string>;
  capacity: number;
  state: string; // joining, healthy, degraded, draining, ejected, down
  reason: string;
  since_s: number;
  accepts_work: boolean;
  source: string;
  heartbeat_age_s?: number;
  scrape_age_s?: number;
  scrape_error?: string;
  metrics: NodeMetrics;
  outlier: {
    ejected: boolean;
    times_ejected: number;
    total_ejections: number;
    consecutive_5xx: number;
    consecutive_gateway_failures: number;
    last_reason?: string;
  };
  breaker: string; // closed, open, half_open
  pending: number;
  slow_start: number;
  // From the scheduler core (absent for a node it does not know yet).
  score?: number;
  eligible?: boolean;
  in_flight?: number;
  failures?: number;
  ewma?: Ewma;
}

export type PerClass = Record<string, number>; // critical, interactive, standard, batch...

export interface SchedulerState {
  policy: string;
  pipeline: string;
  queue: PerClass;
  in_flight: number;
  dispatched_total: number;
  shed_total: PerClass;
  timed_out_total: PerClass;
  rejected_total: PerClass;
  preempted_total: number;
  evacuated_total: number;
}

export interface HistogramReading {
  cumulative: number[]; // one per bound, then +Inf
  count: number;
  sum: number;
}

export interface Latency {
  bounds_s: number[];
  ttft: HistogramReading;
  e2e: HistogramReading;
}

export interface Task {
  id: string;
  kind: string;
  model: string;
  priority: number;
  state: string;
  attempts: number;
  failures: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  dag_run?: string | null;
  output_text?: string;
  error?: string;
  ran_on?: string;
  tenant?: string;
}

export interface DagTask extends Task {
  task_id: string;
  requires: string[];
}

export interface DagRun {
  id: string;
  name: string;
  state: string;
  max_parallelism: number;
  created_at: string;
  finished_at: string | null;
  tenant?: string;
  tasks: DagTask[];
}

export interface Trigger {
  id: string;
  object: 'cron_trigger' | 'event_trigger';
  enabled: boolean;
  next_fire: string | null;
  last_fired: string | null;
  last_target: string;
  created_at: string;
  spec: Record<string, unknown>;
}

export interface TaskEvent {
  seq: number;
  task: string | null;
  dag_run: string | null;
  state: string;
  at: string;
  detail: string;
}

export interface Work {
  enabled: boolean;
  tasks?: Task[];
  dag_runs?: DagRun[];
  triggers?: Trigger[];
  events?: TaskEvent[];
  error?: string;
}

export interface Snapshot {
  object: 'dashboard';
  version: string;
  at: string;
  at_ms: number;
  nodes: DashboardNode[];
  scheduler: SchedulerState;
  latency: Latency;
  work: Work;
}
