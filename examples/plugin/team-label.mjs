// An example scrapelint plugin: one rule, with exactly the built-in rule contract.
// Enable it in .scrapelint.yaml:  plugins: [./examples/plugin/team-label.mjs]

/** @type {import('scrapelint').Rule} */
const monitorNeedsTeam = {
  id: 'acme/monitor-needs-team',
  title: 'Monitor has no team label',
  category: 'selection',
  severity: 'warning',
  docs: 'https://wiki.example.com/monitoring/team-labels',
  tags: ['ownership'],
  precision: 'very-high',
  rationale: 'Alerts are routed by the team label of the monitor; a monitor without one pages nobody.',
  check({ graph, options, report }) {
    const key = typeof options.label === 'string' ? options.label : 'team';
    for (const kind of ['ServiceMonitor', 'PodMonitor']) {
      for (const m of graph.byKind(kind)) {
        if (m.labels[key]) continue;
        report({
          message: `${m.ref} has no "${key}" label, so its alerts reach no team. Add metadata.labels.${key}.`,
          at: m.locate(['metadata', 'labels']),
        });
      }
    }
  },
};

export const rules = [monitorNeedsTeam];
