import type { ResourceGraph } from '../model/graph.js';
import type { Resource } from '../model/resource.js';
import { Selection } from './selection.js';
import { servicesForMonitor } from './services.js';
import { discoverTargets, type TargetsReport } from './discovery.js';

/**
 * What Prometheus will discover, computed once per scope and shared by every rule:
 * Prometheus -> selected monitors -> Services -> ports. Each step is cached.
 */
export class TargetModel {
  readonly selection: Selection;
  private readonly services = new Map<Resource, Resource[]>();
  private discovered: TargetsReport | undefined;

  constructor(readonly graph: ResourceGraph) {
    this.selection = new Selection(graph);
  }

  /** Services selected by a ServiceMonitor. */
  servicesFor(monitor: Resource): Resource[] {
    let s = this.services.get(monitor);
    if (!s) this.services.set(monitor, (s = servicesForMonitor(this.graph, monitor)));
    return s;
  }

  /** The offline Status > Targets page: every Prometheus, its jobs and their targets. */
  report(): TargetsReport {
    return (this.discovered ??= discoverTargets(this.graph, this.selection));
  }
}
