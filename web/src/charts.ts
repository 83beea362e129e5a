// Time-series charts (uPlot) for the scheduler view. A chart is made once and fed new
// columns on every snapshot; it follows its container's width and the theme's colours.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  colorVar: string; // a CSS custom property, e.g. --series-1
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

export class TimeChart {
  private plot: uPlot | undefined;
  private data: uPlot.AlignedData = [[]];
  private readonly resize = new ResizeObserver(() => this.fit());

  constructor(
    private readonly el: HTMLElement,
    private readonly title: string,
    private readonly series: ChartSeries[],
    private readonly unit: string,
  ) {
    this.resize.observe(el);
  }

  /** `columns`: times (seconds) first, then one column per series (null for a gap). */
  update(columns: uPlot.AlignedData): void {
    this.data = columns;
    if (!this.plot) this.create();
    else this.plot.setData(columns);
  }

  /** Rebuilds with the current theme's colours. */
  restyle(): void {
    this.plot?.destroy();
    this.plot = undefined;
    if (this.data[0].length > 0) this.create();
  }

  private create(): void {
    const axis = { stroke: cssVar('--muted'), grid: { stroke: cssVar('--grid') }, ticks: { stroke: cssVar('--grid') } };
    const unit = this.unit;
    this.plot = new uPlot(
      {
        title: this.title,
        width: Math.max(240, this.el.clientWidth),
        height: 180,
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [axis, { ...axis, size: 56, values: (_u, ticks) => ticks.map((t) => `${+t.toPrecision(3)}${unit}`) }],
        series: [
          {},
          ...this.series.map((s) => ({ label: s.label, stroke: cssVar(s.colorVar), width: 1.5, spanGaps: false, points: { show: false } })),
        ],
      },
      this.data,
      this.el,
    );
  }

  private fit(): void {
    if (this.plot) this.plot.setSize({ width: Math.max(240, this.el.clientWidth), height: 180 });
  }
}
