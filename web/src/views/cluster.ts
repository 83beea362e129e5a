// Cluster view: a summary of the nodes, then one row per node with its state, load,
// scheduler score, EWMA latencies, breaker and ejections, and sparklines of recent minutes.
// Built for hundreds of nodes: filtered and sorted over all of them, drawn a page of
// PAGE_SIZE rows at a time (the DOM work of a page is what bounds an update's cost).
import { esc, setHtml, sparkline } from '../dom';
import {
  clusterSummary,
  formatBytes,
  formatMs,
  formatShare,
  memoryShare,
  nodeProblems,
  pageOf,
  selectNodes,
  stateTone,
  type History,
  type NodeFilter,
  type NodeSortKey,
} from '../shape';
import type { DashboardNode, Snapshot } from '../types';

const PAGE_SIZE = 100;

const COLUMNS: { key: NodeSortKey | null; label: string }[] = [
  { key: 'id', label: 'Node' },
  { key: 'state', label: 'State' },
  { key: 'gpu', label: 'GPU' },
  { key: null, label: 'GPU memory' },
  { key: 'cpu', label: 'CPU' },
  { key: null, label: 'Running / waiting' },
  { key: 'kv', label: 'KV cache' },
  { key: 'in_flight', label: 'In flight' },
  { key: 'score', label: 'Score' },
  { key: 'ttft', label: 'EWMA TTFT / e2e' },
  { key: null, label: 'Breaker / ejections' },
];

export class ClusterView {
  private filter: NodeFilter = { text: '', problemsOnly: false, sort: 'id', descending: false };
  private page = 0;
  private readonly summary: HTMLElement;
  private readonly body: HTMLElement;
  private readonly count: HTMLElement;
  private readonly prev: HTMLButtonElement;
  private readonly next: HTMLButtonElement;
  private last: { snap: Snapshot; history: History } | undefined;

  constructor(root: HTMLElement) {
    root.innerHTML = `
      <div class="tiles" id="cluster-summary"></div>
      <div class="toolbar">
        <input id="node-filter" type="search" placeholder="Filter nodes by id, URL, model or label" />
        <label><input id="node-problems" type="checkbox" /> only nodes with problems</label>
        <span id="node-count" class="muted"></span>
        <span class="pager"><button type="button" id="node-prev">Previous</button>
          <button type="button" id="node-next">Next</button></span>
      </div>
      <div class="table-wrap"><table class="nodes">
        <thead><tr>${COLUMNS.map((c) =>
          `<th${c.key ? ` data-sort="${c.key}" tabindex="0"` : ''}>${esc(c.label)}</th>`).join('')}</tr></thead>
        <tbody id="node-rows"><tr><td colspan="${COLUMNS.length}" class="empty">Waiting for the gateway's first update…</td></tr></tbody>
      </table></div>`;
    this.summary = root.querySelector('#cluster-summary')!;
    this.body = root.querySelector('#node-rows')!;
    this.count = root.querySelector('#node-count')!;
    root.querySelector<HTMLInputElement>('#node-filter')!.addEventListener('input', (e) => {
      this.filter.text = (e.target as HTMLInputElement).value;
      this.page = 0;
      this.redraw();
    });
    root.querySelector<HTMLInputElement>('#node-problems')!.addEventListener('change', (e) => {
      this.filter.problemsOnly = (e.target as HTMLInputElement).checked;
      this.page = 0;
      this.redraw();
    });
    this.prev = root.querySelector<HTMLButtonElement>('#node-prev')!;
    this.next = root.querySelector<HTMLButtonElement>('#node-next')!;
    this.prev.addEventListener('click', () => this.turn(-1));
    this.next.addEventListener('click', () => this.turn(1));
    root.querySelectorAll<HTMLElement>('th[data-sort]').forEach((th) => {
      const sort = () => {
        const key = th.dataset.sort as NodeSortKey;
        this.filter.descending = this.filter.sort === key ? !this.filter.descending : key !== 'id' && key !== 'state';
        this.filter.sort = key;
        root.querySelectorAll('th[data-sort]').forEach((o) => o.removeAttribute('aria-sort'));
        th.setAttribute('aria-sort', this.filter.descending ? 'descending' : 'ascending');
        this.redraw();
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', (e) => e.key === 'Enter' && sort());
    });
  }

  update(snap: Snapshot, history: History): void {
    this.last = { snap, history };
    this.redraw();
  }

  private turn(by: number): void {
    this.page += by;
    this.redraw();
  }

  private redraw(): void {
    if (!this.last) return;
    const { snap, history } = this.last;
    const s = clusterSummary(snap.nodes);
    const states = Object.entries(s.byState)
      .sort()
      .map(([state, n]) => `<span class="badge tone-${stateTone(state)}">${n} ${esc(state)}</span>`)
      .join(' ');
    setHtml(
      this.summary,
      tile('Nodes', String(s.total), states || 'none registered') +
        tile('Taking work', `${s.acceptingWork} / ${s.total}`, 'healthy, not drained, not ejected') +
        tile('Ejected', String(s.ejected), 'outlier detection', s.ejected > 0 ? 'bad' : undefined) +
        tile('Breakers not closed', String(s.breakersOpen), 'open or half-open', s.breakersOpen > 0 ? 'warn' : undefined),
    );
    if (snap.nodes.length === 0) {
      setHtml(this.count, '');
      setHtml(
        this.body,
        `<tr><td colspan="${COLUMNS.length}" class="empty">No nodes yet. List real backends under <code>nodes:</code>, ` +
          `enable <code>cluster.simulated</code>, or register one with <code>POST /admin/v1/nodes</code>.</td></tr>`,
      );
      return;
    }
    const rows = selectNodes(snap.nodes, this.filter);
    const page = pageOf(rows, this.page, PAGE_SIZE);
    this.page = page.index;
    this.prev.hidden = this.next.hidden = page.pages === 1;
    this.prev.disabled = page.index === 0;
    this.next.disabled = page.index === page.pages - 1;
    const range = page.pages > 1 ? `${page.first}–${page.last} of ` : '';
    const matching = rows.length === snap.nodes.length ? '' : ` (${rows.length} match)`;
    setHtml(this.count, `${range}${snap.nodes.length} nodes${matching}`);
    setHtml(
      this.body,
      rows.length === 0
        ? `<tr><td colspan="${COLUMNS.length}" class="empty">No node matches the filter.</td></tr>`
        : page.items.map((n) => nodeRow(n, history)).join(''),
    );
  }
}

function tile(label: string, value: string, note: string, tone?: string): string {
  return `<div class="tile${tone ? ` tone-${tone}` : ''}"><div class="tile-label">${esc(label)}</div>` +
    `<div class="tile-value">${esc(value)}</div><div class="tile-note">${note}</div></div>`;
}

function bar(share: number | null | undefined): string {
  if (share === null || share === undefined) return '<span class="muted">—</span>';
  const pct = Math.round(Math.min(Math.max(share, 0), 1) * 100);
  return `<span class="bar"><span style="width:${pct}%"></span></span> ${pct}%`;
}

function nodeRow(n: DashboardNode, history: History): string {
  const ring = history.nodes.get(n.id)?.toArray() ?? [];
  const problems = nodeProblems(n);
  const m = n.metrics;
  const mem = memoryShare(n);
  const running = m.backend_running ?? '—';
  const waiting = m.backend_waiting ?? '—';
  const ewma = n.ewma && n.ewma.samples > 0 ? `${formatMs(n.ewma.ttft_ms)} / ${formatMs(n.ewma.e2e_ms)}` : '—';
  const score = n.eligible ? (n.score ?? 0).toFixed(3) : '<span class="muted" title="not eligible now">—</span>';
  const ejections = n.outlier.total_ejections;
  return (
    `<tr data-node="${esc(n.id)}" class="${problems.length ? 'has-problem' : ''}">` +
    `<td><div class="node-id">${esc(n.id)}</div><div class="muted small">${esc(n.models.join(', '))}</div></td>` +
    `<td><span class="badge tone-${stateTone(n.state)}">${esc(n.state)}</span>` +
    (problems.length ? `<div class="problem small">${esc(problems.join('; '))}</div>` : '') +
    `</td>` +
    `<td>${bar(m.gpu_util)}${sparkline(ring.map((r) => r.gpu))}</td>` +
    `<td>${mem === null ? '—' : `${formatShare(mem)} <span class="muted small">${formatBytes(m.gpu_mem_used_bytes)} of ${formatBytes(m.gpu_mem_total_bytes)}</span>`}</td>` +
    `<td>${bar(m.cpu_util)}</td>` +
    `<td>${running} / ${waiting}</td>` +
    `<td>${bar(m.kv_cache_usage)}${sparkline(ring.map((r) => r.kv))}</td>` +
    `<td>${n.in_flight ?? n.pending}${n.capacity ? `<span class="muted"> / ${n.capacity}</span>` : ''}</td>` +
    `<td>${score}</td>` +
    `<td>${ewma}</td>` +
    `<td><span class="badge tone-${stateTone(n.breaker)}">${esc(n.breaker.replace('_', '-'))}</span> ` +
    `<span class="${n.outlier.ejected ? 'problem' : 'muted'}">${ejections} ejection${ejections === 1 ? '' : 's'}</span>` +
    (n.outlier.last_reason ? `<div class="muted small">${esc(n.outlier.last_reason)}</div>` : '') +
    `</td></tr>`
  );
}
