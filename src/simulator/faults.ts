import { EventEmitter } from 'node:events';
import { badRequest } from './status';

export type FaultTarget = 'gardener' | 'runtime' | 'all';

/** One fault rule. Several rules may be active; latencies add up, the first error or reset that fires wins. */
export interface FaultConfig {
  /** Which servers the rule applies to. Default `all`. */
  target?: FaultTarget;
  /** Only requests whose path starts with this are affected (stuckShoots ignores it). */
  pathPrefix?: string;
  /** Fixed delay before each matching request is handled. */
  latencyMs?: number;
  /** Random extra delay, uniform in [0, latencyJitterMs]. */
  latencyJitterMs?: number;
  /** Probability (0..1) of answering with a 5xx Status instead of handling the request. */
  errorRate?: number;
  /** 500 InternalError (default) or 503 ServiceUnavailable. */
  errorStatus?: 500 | 503;
  /** Probability (0..1) of destroying the connection without an answer. */
  resetRate?: number;
  /** Shoot operations stay Processing while set; they finish once it is cleared. */
  stuckShoots?: boolean;
  /** Seed for the random draws, so a benchmark run can be repeated exactly. */
  seed?: number;
}

export interface FaultController {
  /** Replaces the active rules. */
  setFaults(config: FaultConfig | FaultConfig[]): void;
  clear(): void;
  current(): FaultConfig[];
}

export type FaultAction =
  | { kind: 'none'; delayMs: number }
  | { kind: 'error'; delayMs: number; status: 500 | 503 }
  | { kind: 'reset'; delayMs: number };

/** mulberry32: tiny, fast and good enough to make fault sequences reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function check(rule: unknown): FaultConfig {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
    throw badRequest('a fault rule must be a JSON object');
  }
  const r = rule as Record<string, unknown>;
  const known = new Set([
    'target',
    'pathPrefix',
    'latencyMs',
    'latencyJitterMs',
    'errorRate',
    'errorStatus',
    'resetRate',
    'stuckShoots',
    'seed',
  ]);
  for (const key of Object.keys(r)) {
    if (!known.has(key)) {
      throw badRequest(`unknown fault field "${key}"`);
    }
  }
  if (r.target !== undefined && !['gardener', 'runtime', 'all'].includes(r.target as string)) {
    throw badRequest('target must be one of gardener, runtime, all');
  }
  for (const key of ['latencyMs', 'latencyJitterMs', 'seed']) {
    if (r[key] !== undefined && (typeof r[key] !== 'number' || !Number.isFinite(r[key]) || r[key] < 0)) {
      throw badRequest(`${key} must be a non-negative number`);
    }
  }
  for (const key of ['errorRate', 'resetRate']) {
    if (r[key] !== undefined && (typeof r[key] !== 'number' || r[key] < 0 || r[key] > 1)) {
      throw badRequest(`${key} must be a number between 0 and 1`);
    }
  }
  if (r.errorStatus !== undefined && r.errorStatus !== 500 && r.errorStatus !== 503) {
    throw badRequest('errorStatus must be 500 or 503');
  }
  if (r.stuckShoots !== undefined && typeof r.stuckShoots !== 'boolean') {
    throw badRequest('stuckShoots must be a boolean');
  }
  if (r.pathPrefix !== undefined && typeof r.pathPrefix !== 'string') {
    throw badRequest('pathPrefix must be a string');
  }
  return { ...(r as FaultConfig) };
}

/** Validates admin-endpoint input (an object or an array of objects); throws a 400 Status. */
export function parseFaultConfig(input: unknown): FaultConfig[] {
  return (Array.isArray(input) ? input : [input]).map(check);
}

/**
 * Holds the active fault rules and decides, per request, what to inject. Shared by the Gardener
 * server and every runtime, so one call (or one admin request) affects the whole landscape.
 */
export class Faults implements FaultController {
  private rules: Array<{ config: FaultConfig; random: () => number }> = [];
  private readonly events = new EventEmitter();

  constructor(initial?: FaultConfig | FaultConfig[]) {
    if (initial) {
      this.setFaults(initial);
    }
  }

  setFaults(config: FaultConfig | FaultConfig[]): void {
    this.rules = parseFaultConfig(config).map((c) => ({
      config: c,
      random: c.seed === undefined ? Math.random : seededRandom(c.seed),
    }));
    this.events.emit('change');
  }

  clear(): void {
    this.rules = [];
    this.events.emit('change');
  }

  current(): FaultConfig[] {
    return this.rules.map((r) => ({ ...r.config }));
  }

  shootsStuck(): boolean {
    return this.rules.some((r) => r.config.stuckShoots === true && (r.config.target ?? 'all') !== 'runtime');
  }

  /** Lets shoot operations waiting on `stuckShoots` continue as soon as the rule goes away. */
  onChange(listener: () => void): () => void {
    this.events.on('change', listener);
    return () => this.events.off('change', listener);
  }

  decide(target: 'gardener' | 'runtime', path: string): FaultAction {
    let delayMs = 0;
    let action: FaultAction | undefined;
    for (const { config, random } of this.rules) {
      const t = config.target ?? 'all';
      if ((t !== 'all' && t !== target) || (config.pathPrefix && !path.startsWith(config.pathPrefix))) {
        continue;
      }
      delayMs += (config.latencyMs ?? 0) + (config.latencyJitterMs ? random() * config.latencyJitterMs : 0);
      if (!action && config.resetRate && random() < config.resetRate) {
        action = { kind: 'reset', delayMs: 0 };
      } else if (!action && config.errorRate && random() < config.errorRate) {
        action = { kind: 'error', delayMs: 0, status: config.errorStatus ?? 500 };
      }
    }
    return action ? { ...action, delayMs } : { kind: 'none', delayMs };
  }
}
