import { describe, expect, it } from 'vitest';
import { dagSvg, layoutDag } from '../src/dag';
import { contextPath } from '../src/api';
import { dagGraph } from '../src/shape';
import { diamond } from './fixtures';

describe('DAG drawing', () => {
  it('lays a diamond out left to right: upstream before downstream', () => {
    const layout = layoutDag(dagGraph(diamond(), 0));
    const x = (id: string) => layout.nodes.get(id)!.x;
    expect(x('a')).toBeLessThan(x('b'));
    expect(x('b')).toBeLessThan(x('d'));
    expect(x('b')).toBe(x('c'));
    expect(layout.edges).toHaveLength(4);
    expect(layout.edges.every((e) => e.points.length >= 2)).toBe(true);
  });

  it('draws each task coloured by its state, with escaped ids', () => {
    const run = diamond();
    run.tasks[0].id = '<a>';
    run.tasks[1].requires = ['<a>'];
    run.tasks[2].requires = ['<a>'];
    const svg = dagSvg(dagGraph(run, Date.parse('2025-06-01T10:00:05.000Z')), run.id);
    expect(svg).toContain('data-task="&lt;a&gt;"');
    expect(svg).not.toContain('<a>');
    expect(svg.match(/class="dag-node tone-ok"/g)).toHaveLength(2);
    expect(svg).toContain('class="dag-node tone-run" data-task="b" data-state="running"');
    expect(svg).toContain('succeeded · 2.50 s');
  });
});

describe('contextPath', () => {
  it('finds the gateway context path from the page path', () => {
    expect(contextPath('/ui/')).toBe('');
    expect(contextPath('/api/ui/')).toBe('/api');
    expect(contextPath('/api/ui')).toBe('/api');
    expect(contextPath('/a/ui/index.html')).toBe('/a');
  });
});
