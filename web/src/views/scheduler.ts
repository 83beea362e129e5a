// Scheduler view: the policy in force and its weights, queue depth by class, dispatch rate,
// shed / timed-out / rejected counts, and charts of queue depth and of TTFT and end-to-end
// percentiles over the minutes the page has been open.
import type uPlot from 'uplot';
import { TimeChart } from '../charts';
import { esc, setHtml } from '../dom';
import { CLASSES, formatMs, formatRate, parsePipeline, sumClasses, type History, type SchedulerSample } from '../shape';
import type { Snapshot } from '../types';

const PCT_SERIES = [
  { label: 'p50', colorVar: '--series-1' },
  { label: 'p90', colorVar: '--series-2' },
  { label: 'p99', colorVar: '--series-3' },
];

export class SchedulerView {
  private readonly head: HTMLElement;
  private readonly counts: HTMLElement;
  private readonly charts: TimeChart[];
  private readonly columns: ((h: readonly SchedulerSample[]) => uPlot.AlignedData)[];

  constructor(root: HTMLElement) {
    root.innerHTML = `
      <div id="sched-head"></div>
      <div class="tiles" id="sched-counts"></div>
      <div class="charts">
        <div class="chart" id="chart-queue"></div>
        <div class="chart" id="chart-rate"></div>
        <div class="chart" id="chart-ttft"></div>
        <div class="chart" id="chart-e2e"></div>
      </div>
      <p class="muted small">Percentiles are over each update's interval, from the gateway's latency
        histograms (all models); the charts keep the last minutes this page has been open.</p>`;
    this.head = root.querySelector('#sched-head')!;
    this.counts = root.querySelector('#sched-counts')!;
    const times = (h: readonly SchedulerSample[]) => h.map((s) => s.t);
    this.charts = [
      new TimeChart(root.querySelector('#chart-queue')!, 'Queue depth by class', CLASSES.map((c, i) => ({ label: c, colorVar: `--series-${i + 1}` })), ''),
      new TimeChart(root.querySelector('#chart-rate')!, 'Dispatch rate', [{ label: 'dispatched/s', colorVar: '--series-1' }], '/s'),
      new TimeChart(root.querySelector('#chart-ttft')!, 'Time to first token', PCT_SERIES, 'ms'),
      new TimeChart(root.querySelector('#chart-e2e')!, 'End-to-end time', PCT_SERIES, 'ms'),
    ];
    this.columns = [
      (h) => [times(h), ...CLASSES.map((c) => h.map((s) => s.queue[c] ?? 0))],
      (h) => [times(h), h.map((s) => s.dispatchRate)],
      (h) => [times(h), h.map((s) => s.ttft.p50), h.map((s) => s.ttft.p90), h.map((s) => s.ttft.p99)],
      (h) => [times(h), h.map((s) => s.e2e.p50), h.map((s) => s.e2e.p90), h.map((s) => s.e2e.p99)],
    ];
  }

  restyle(): void {
    this.charts.forEach((c) => c.restyle());
  }

  update(snap: Snapshot, history: History): void {
    const s = snap.scheduler;
    const parts = parsePipeline(s.pipeline);
    const maxWeight = Math.max(1e-9, ...parts.scorers.map((p) => p.weight));
    setHtml(
      this.head,
      `<div class="policy"><div><span class="tile-label">Policy</span> <strong id="policy-name">${esc(s.policy)}</strong></div>` +
        `<div><span class="tile-label">Filters</span> ${parts.filters.map((f) => `<span class="chip">${esc(f)}</span>`).join(' ') || '<span class="muted">none</span>'}</div>` +
        `<div><span class="tile-label">Picker</span> <span class="chip">${esc(parts.picker || '—')}</span></div>` +
        `<div class="weights"><span class="tile-label">Scorers and weights</span>` +
        (parts.scorers.length
          ? parts.scorers
              .map((p) => `<div class="weight"><span>${esc(p.name)}</span><span class="bar"><span style="width:${Math.round((p.weight / maxWeight) * 100)}%"></span></span><span>${esc(p.weight)}</span></div>`)
              .join('')
          : ' <span class="muted">none</span>') +
        `</div></div>`,
    );
    const last = history.scheduler.last();
    const row = (label: string, counts: Record<string, number>) =>
      `<tr><th>${esc(label)}</th>${CLASSES.map((c) => `<td>${counts[c] ?? 0}</td>`).join('')}<td>${sumClasses(counts)}</td></tr>`;
    setHtml(
      this.counts,
      `<div class="tile"><div class="tile-label">Queued</div><div class="tile-value" id="queued-total">${sumClasses(s.queue)}</div></div>` +
        `<div class="tile"><div class="tile-label">In flight</div><div class="tile-value">${s.in_flight}</div></div>` +
        `<div class="tile"><div class="tile-label">Dispatch rate</div><div class="tile-value">${formatRate(last?.dispatchRate ?? null)}</div>` +
        `<div class="tile-note">${s.dispatched_total} dispatched in all</div></div>` +
        `<div class="tile"><div class="tile-label">TTFT p50 / p99</div><div class="tile-value">${formatMs(last?.ttft.p50)} / ${formatMs(last?.ttft.p99)}</div>` +
        `<div class="tile-note">${last?.ttft.count ?? 0} requests this interval</div></div>` +
        `<div class="tile wide"><table class="by-class"><thead><tr><th></th>${CLASSES.map((c) => `<th>${c}</th>`).join('')}<th>all</th></tr></thead><tbody>` +
        row('queued', s.queue) +
        row('shed', s.shed_total) +
        row('timed out', s.timed_out_total) +
        row('rejected', s.rejected_total) +
        `</tbody></table><div class="tile-note">${s.preempted_total} preempted, ${s.evacuated_total} moved off full nodes</div></div>`,
    );
    const samples = history.scheduler.toArray();
    this.charts.forEach((chart, i) => chart.update(this.columns[i](samples)));
  }
}
