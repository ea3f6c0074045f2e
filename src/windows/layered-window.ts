import {
  blackoutsSkipped,
  evaluateWindow,
  type DatedBlackout,
  type EngineWindow,
  type WindowEvaluation,
} from './window-engine';

/** One window a message must respect, in one zone; `name` says which (absent: the channel's own window). */
export interface WindowLayer {
  name?: string;
  window: EngineWindow;
  zone: string;
  /** The client window it comes from rejects rather than defers (a preset inherits its window's choice). */
  rejects: boolean;
  /** The window has no rules of its own (open around the clock): its explanation names no rule. */
  allDay?: boolean;
}

export interface LayeredEvaluation {
  open: boolean;
  /** When every layer is open at once (`at` itself when open now); absent when that never happens in the horizon. */
  opensAt?: number;
  /** When the first layer closes again after `opensAt`. */
  closesAt?: number;
  /** The layer that decides: when open, the one that closes first; when closed, the one that opens last. */
  decisive: WindowLayer;
  /** That layer's own evaluation: at `at` when open; when closed, just before it opens at `opensAt`. */
  evaluation: WindowEvaluation;
  /** The layers closed at `at`. */
  closedNow: WindowLayer[];
  /** Every layer's blackouts between `at` and `opensAt`, each once: what the wait skipped. */
  skipped: DatedBlackout[];
}

/** Layers that never open together give up here, as a single window does (window-engine's last horizon). */
const horizonMs = 2 * 366 * 86_400_000;

function skippedBetween(layers: readonly WindowLayer[], from: number, to: number): DatedBlackout[] {
  const seen = new Map<string, DatedBlackout>();
  for (const { window, zone } of layers)
    for (const b of blackoutsSkipped(window, zone, from, to)) seen.set(`${b.from} ${b.to} ${b.name ?? ''}`, b);
  return [...seen.values()].sort((a, b) => a.from.localeCompare(b.from));
}

/**
 * The intersection of the layers (SPEC §3 with issue 18): a message may go only when every layer is open in its
 * own zone. From `at`, jump to the latest opening among the closed layers until all are open at once. Pure.
 */
export function evaluateLayers(layers: readonly WindowLayer[], at: number): LayeredEvaluation {
  let t = at;
  let decisive = { layer: layers[0]!, evaluation: evaluateWindow(layers[0]!.window, layers[0]!.zone, at) };
  let closedNow: WindowLayer[] = [];
  const closedResult = (opensAt?: number, closesAt?: number): LayeredEvaluation => ({
    open: false,
    ...(opensAt === undefined ? {} : { opensAt, closesAt }),
    decisive: decisive.layer,
    evaluation: decisive.evaluation,
    closedNow,
    skipped: opensAt === undefined ? [] : skippedBetween(layers, at, opensAt),
  });
  for (let round = 0; t - at <= horizonMs; round++) {
    const evaluations = layers.map((layer) => ({ layer, evaluation: evaluateWindow(layer.window, layer.zone, t) }));
    const closed = evaluations.filter(({ evaluation }) => !evaluation.open);
    if (round === 0) closedNow = closed.map(({ layer }) => layer);
    const closesAt = Math.min(...evaluations.map(({ evaluation }) => evaluation.closesAt ?? Infinity));
    const closes = Number.isFinite(closesAt) ? closesAt : undefined;
    if (closed.length === 0) {
      if (t !== at) return closedResult(t, closes);
      const first = evaluations.find(({ evaluation }) => (evaluation.closesAt ?? Infinity) === closesAt)!;
      return {
        open: true,
        opensAt: at,
        closesAt: closes,
        decisive: first.layer,
        evaluation: first.evaluation,
        closedNow,
        skipped: [],
      };
    }
    const never = closed.find(({ evaluation }) => evaluation.opensAt === undefined);
    if (never) {
      decisive = never;
      return closedResult();
    }
    decisive = closed.reduce((a, b) => (b.evaluation.opensAt! > a.evaluation.opensAt! ? b : a));
    t = decisive.evaluation.opensAt!;
  }
  return closedResult();
}
