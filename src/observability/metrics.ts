/**
 * Prometheus metrics: one prom-client Registry per process, made here, with the process metrics
 * (CPU, memory, event-loop lag, GC) every dashboard starts from.
 *
 * Each process owns its registry (no use of prom-client's global one), so tests can build several
 * apps in one process and a library cannot slip its own metrics onto our scrape.
 *
 * Every family is named `campaign_dispatch_…` (METRIC_PREFIX); the list is in dispatch-metrics.ts,
 * queue-metrics.ts and api/plugins/http-metrics.ts, and in docs/grafana/README.md.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';

export const METRIC_PREFIX = 'campaign_dispatch_';

/** The Content-Type of the text exposition format this registry answers in. */
export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

export interface MetricsRegistryOptions {
  /** Which process this is (`api`, `worker`): a label on every series, so one dashboard shows both. */
  service: string;
  /** Process metrics (default true); tests that build many registries may turn them off. */
  processMetrics?: boolean;
}

/** A fresh registry labelled with the service, with the process metrics unless told otherwise. */
export function createMetricsRegistry(options: MetricsRegistryOptions): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.processMetrics ?? true) {
    // Unprefixed (process_*, nodejs_*): the names every stock Node.js dashboard expects.
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}
