// Work view: DAG runs drawn as graphs coloured by task state with timings, async tasks with
// filters, cron and event triggers with their next fire time, and the latest task events.
import { dagSvg } from '../dag';
import { esc, setHtml } from '../dom';
import {
  countByState,
  dagGraph,
  formatMs,
  nextFireText,
  selectTasks,
  stateTone,
  taskTimings,
  type TaskFilter,
} from '../shape';
import type { DagRun, Snapshot, Task, TaskEvent, Trigger, Work } from '../types';

const TASK_STATES = ['', 'pending', 'queued', 'running', 'succeeded', 'failed', 'skipped', 'cancelled'];

export class WorkView {
  private filter: TaskFilter = { state: '', text: '' };
  private readonly parts: Record<'status' | 'dags' | 'tasks' | 'taskCount' | 'triggers' | 'events', HTMLElement>;
  private last: Snapshot | undefined;

  constructor(root: HTMLElement) {
    root.innerHTML = `
      <div id="work-status"><div class="empty">Waiting for the gateway's first update…</div></div>
      <h2>DAG runs</h2>
      <div id="dag-runs" class="dag-runs"></div>
      <h2>Tasks</h2>
      <div class="toolbar">
        <select id="task-state" aria-label="Task state">${TASK_STATES.map((s) => `<option value="${s}">${s || 'every state'}</option>`).join('')}</select>
        <input id="task-filter" type="search" placeholder="Filter by id, kind, model, tenant, node or error" />
        <span id="task-count" class="muted"></span>
      </div>
      <div class="table-wrap"><table class="tasks"><thead><tr>
        <th>Task</th><th>State</th><th>Kind / model</th><th>Tenant</th><th>DAG run</th><th>Waited</th><th>Ran</th><th>Node</th><th>Attempts</th><th>Result</th>
      </tr></thead><tbody id="task-rows"></tbody></table></div>
      <div class="columns">
        <div><h2>Triggers</h2><div id="triggers"></div></div>
        <div><h2>Recent events</h2><div id="events"></div></div>
      </div>`;
    const q = (id: string) => root.querySelector<HTMLElement>(`#${id}`)!;
    this.parts = {
      status: q('work-status'),
      dags: q('dag-runs'),
      tasks: q('task-rows'),
      taskCount: q('task-count'),
      triggers: q('triggers'),
      events: q('events'),
    };
    q('task-state').addEventListener('change', (e) => {
      this.filter.state = (e.target as HTMLSelectElement).value;
      this.redraw();
    });
    q('task-filter').addEventListener('input', (e) => {
      this.filter.text = (e.target as HTMLInputElement).value;
      this.redraw();
    });
  }

  update(snap: Snapshot): void {
    this.last = snap;
    this.redraw();
  }

  private redraw(): void {
    if (!this.last) return;
    const work: Work = this.last.work;
    const now = this.last.at_ms;
    if (!work.enabled) {
      setHtml(this.parts.status, `<div class="empty">Durable work is off on this gateway (<code>workflow.enabled: false</code>): no tasks, DAGs or triggers to show.</div>`);
      for (const k of ['dags', 'tasks', 'triggers', 'events'] as const) setHtml(this.parts[k], '');
      return;
    }
    setHtml(this.parts.status, work.error ? `<div class="error">${esc(work.error)}</div>` : '');
    this.drawDags(work.dag_runs ?? [], now);
    this.drawTasks(work.tasks ?? [], now);
    this.drawTriggers(work.triggers ?? [], now);
    this.drawEvents(work.events ?? []);
  }

  private drawDags(runs: DagRun[], now: number): void {
    if (runs.length === 0) {
      setHtml(this.parts.dags, `<div class="empty">No DAG runs yet. Submit one with <code>POST /v1/dags</code> or <code>autoglm dag submit</code>.</div>`);
      return;
    }
    setHtml(
      this.parts.dags,
      runs
        .map((run) => {
          const states = countByState(run.tasks);
          const end = run.finished_at ? Date.parse(run.finished_at) : now;
          // The snapshot's clock is read before the store: a run created meanwhile is at 0.
          const took = formatMs(Math.max(0, end - Date.parse(run.created_at)));
          return (
            `<article class="dag-run" data-run="${esc(run.id)}" data-state="${esc(run.state)}">` +
            `<header><strong>${esc(run.name || `run ${run.id}`)}</strong> <span class="muted">#${esc(run.id)} · ${esc(run.tenant ?? '')}</span> ` +
            `<span class="badge tone-${stateTone(run.state)}">${esc(run.state)}</span> <span class="muted">${run.finished_at ? 'took' : 'running for'} ${took}</span>` +
            `<span class="muted small"> · ${Object.entries(states).map(([s, n]) => `${n} ${esc(s)}`).join(', ')}</span></header>` +
            `<div class="dag-wrap">${dagSvg(dagGraph(run, now), run.id)}</div></article>`
          );
        })
        .join(''),
    );
  }

  private drawTasks(tasks: Task[], now: number): void {
    const rows = selectTasks(tasks, this.filter);
    setHtml(this.parts.taskCount, `${rows.length} of the latest ${tasks.length}`);
    if (rows.length === 0) {
      const why = tasks.length === 0 ? 'No tasks yet. Submit one with <code>POST /v1/tasks</code>.' : 'No task matches the filter.';
      setHtml(this.parts.tasks, `<tr><td colspan="10" class="empty">${why}</td></tr>`);
      return;
    }
    setHtml(
      this.parts.tasks,
      rows
        .map((t) => {
          const { waitMs, runMs } = taskTimings(t, now);
          const result = t.error ? `<span class="problem">${esc(t.error)}</span>` : esc(t.output_text ?? '');
          return (
            `<tr data-task="${esc(t.id)}"><td>${esc(t.id)}</td><td><span class="badge tone-${stateTone(t.state)}">${esc(t.state)}</span></td>` +
            `<td>${esc(t.kind)}<div class="muted small">${esc(t.model)}</div></td><td>${esc(t.tenant ?? '')}</td><td>${esc(t.dag_run ?? '')}</td>` +
            `<td>${formatMs(waitMs)}</td><td>${formatMs(runMs)}</td><td>${esc(t.ran_on ?? '')}</td><td>${t.attempts}</td>` +
            `<td class="result">${result}</td></tr>`
          );
        })
        .join(''),
    );
  }

  private drawTriggers(triggers: Trigger[], now: number): void {
    if (triggers.length === 0) {
      setHtml(this.parts.triggers, `<div class="empty">No triggers. Add cron triggers with <code>POST /v1/cron</code>, event triggers with <code>POST /v1/triggers</code>.</div>`);
      return;
    }
    setHtml(
      this.parts.triggers,
      `<div class="table-wrap"><table class="triggers"><thead><tr><th>Trigger</th><th>Kind</th><th>Schedule</th><th>Next fire</th><th>Last fired</th></tr></thead><tbody>` +
        triggers
          .map((t) => {
            const schedule = String(t.spec.schedule ?? t.spec.event ?? t.spec.match ?? '');
            return (
              `<tr><td>${esc(t.id)}${t.enabled ? '' : ' <span class="muted">(off)</span>'}</td><td>${t.object === 'cron_trigger' ? 'cron' : 'event'}</td>` +
              `<td><code>${esc(schedule)}</code></td><td title="${esc(t.next_fire ?? '')}">${esc(nextFireText(t, now))}</td>` +
              `<td>${esc(t.last_fired ?? '—')}</td></tr>`
            );
          })
          .join('') +
        `</tbody></table></div>`,
    );
  }

  private drawEvents(events: TaskEvent[]): void {
    if (events.length === 0) {
      setHtml(this.parts.events, `<div class="empty">No task events yet.</div>`);
      return;
    }
    setHtml(
      this.parts.events,
      `<ol class="events">` +
        events
          .map(
            (e) =>
              `<li><time>${esc(e.at.slice(11, 23))}</time> <span class="badge tone-${stateTone(e.state)}">${esc(e.state)}</span> ` +
              `${e.task ? `task ${esc(e.task)}` : ''}${e.dag_run ? ` <span class="muted">(run ${esc(e.dag_run)})</span>` : ''} <span class="muted">${esc(e.detail)}</span></li>`,
          )
          .join('') +
        `</ol>`,
    );
  }
}
