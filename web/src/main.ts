// The dashboard page: one stream of snapshots from the gateway feeds three views (cluster,
// scheduler, work), switched by the URL's #fragment without reloading.
import './style.css';
import { contextPath, DashboardStream, storedKey, storeKey, type ConnectionState } from './api';
import { byId, esc } from './dom';
import { History } from './shape';
import type { Snapshot } from './types';
import { ClusterView } from './views/cluster';
import { SchedulerView } from './views/scheduler';
import { WorkView } from './views/work';

type ViewName = 'cluster' | 'scheduler' | 'work';
const VIEWS: ViewName[] = ['cluster', 'scheduler', 'work'];
const THEME_STORAGE = 'autoglm.theme';

const history = new History(300); // 5 minutes at one snapshot a second
const cluster = new ClusterView(byId('view-cluster'));
const scheduler = new SchedulerView(byId('view-scheduler'));
const work = new WorkView(byId('view-work'));
let current: ViewName = 'cluster';
let last: Snapshot | undefined;

function showView(): void {
  const wanted = location.hash.replace('#', '') as ViewName;
  current = VIEWS.includes(wanted) ? wanted : 'cluster';
  for (const name of VIEWS) {
    byId(`view-${name}`).hidden = name !== current;
    document.querySelector(`.tabs a[data-view="${name}"]`)?.setAttribute('aria-selected', String(name === current));
  }
  if (last) render(last);
}

// Only the view on screen is drawn; switching views draws the new one from the last snapshot.
function render(snap: Snapshot): void {
  if (current === 'cluster') cluster.update(snap, history);
  else if (current === 'scheduler') scheduler.update(snap, history);
  else work.update(snap);
  byId('updated').textContent = `updated ${new Date(snap.at_ms).toLocaleTimeString()} · v${snap.version}`;
}

function showState(state: ConnectionState): void {
  const conn = byId('conn');
  conn.dataset.state = state.kind;
  const banner = byId('banner');
  banner.hidden = true;
  switch (state.kind) {
    case 'connecting':
      conn.textContent = 'connecting…';
      break;
    case 'live':
      conn.textContent = 'live';
      break;
    case 'offline':
      conn.textContent = 'offline';
      banner.hidden = false;
      banner.innerHTML = `Lost the gateway: ${esc(state.message)}. Retrying in ${state.retryInS} s; what you see is from ${last ? new Date(last.at_ms).toLocaleTimeString() : 'nothing yet'}.`;
      break;
    case 'auth':
      conn.textContent = 'needs a key';
      banner.hidden = false;
      banner.innerHTML = `The gateway refused the dashboard: ${esc(state.message)}. <button type="button" id="banner-key">Enter an admin key</button>`;
      byId('banner-key').addEventListener('click', () => askKey(state.message));
      askKey(state.message);
      break;
  }
}

const stream = new DashboardStream(
  contextPath(location.pathname),
  (snap) => {
    last = snap;
    history.add(snap);
    render(snap);
  },
  showState,
);

function askKey(reason?: string): void {
  const dialog = byId<HTMLDialogElement>('key-dialog');
  if (dialog.open) return;
  if (reason) byId('key-reason').textContent = `The gateway answered ${reason}. The dashboard's data needs an admin key.`;
  byId<HTMLInputElement>('key-input').value = storedKey();
  dialog.showModal();
}

byId<HTMLDialogElement>('key-dialog').addEventListener('close', () => {
  const dialog = byId<HTMLDialogElement>('key-dialog');
  if (dialog.returnValue === 'save') storeKey(byId<HTMLInputElement>('key-input').value.trim());
  else if (dialog.returnValue === 'clear') storeKey('');
  else return;
  stream.start();
});
byId('key-button').addEventListener('click', () => askKey());

const systemDark = matchMedia('(prefers-color-scheme: dark)');

// The theme picked with the button, else the system's (followed while it changes).
function applyTheme(): void {
  const picked = localStorage.getItem(THEME_STORAGE);
  const theme = picked === 'light' || picked === 'dark' ? picked : systemDark.matches ? 'dark' : 'light';
  if (document.documentElement.dataset.theme === theme) return;
  document.documentElement.dataset.theme = theme;
  scheduler.restyle();
}
byId('theme-button').addEventListener('click', () => {
  localStorage.setItem(THEME_STORAGE, document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark');
  applyTheme();
});
systemDark.addEventListener('change', applyTheme);

applyTheme();
window.addEventListener('hashchange', showView);
showView();
stream.start();
