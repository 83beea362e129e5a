// Small DOM helpers: the views build HTML strings from escaped values.

export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

const shown = new WeakMap<Element, string>();

/** Replaces an element's content only when it changed (keeps selection and scroll). */
export function setHtml(el: Element, html: string): void {
  if (shown.get(el) === html) return;
  el.innerHTML = html;
  shown.set(el, html);
}

/** An inline SVG sparkline of values in [0, max]; gaps where a value is null. */
export function sparkline(values: readonly (number | null)[], max = 1, width = 80, height = 18): string {
  if (values.length < 2) return `<svg class="spark" width="${width}" height="${height}"></svg>`;
  const step = width / (values.length - 1);
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null || Number.isNaN(v)) {
      pen = false;
      return;
    }
    const y = height - 1 - (Math.min(Math.max(v, 0), max) / max) * (height - 2);
    d += `${pen ? 'L' : 'M'}${(i * step).toFixed(1)},${y.toFixed(1)}`;
    pen = true;
  });
  return `<svg class="spark" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><path d="${d}"/></svg>`;
}
