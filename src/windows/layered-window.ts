import type { ChannelWindow } from '../shared/profile-schema';
import { evaluateWindow, type WindowEvaluation } from './window-engine';

/** One window a message must respect; `name` says which (absent: the channel's own window). */
export interface WindowLayer {
  name?: string;
  window: ChannelWindow;
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
}

/** Layers that never open together give up here, as a single window does (window-engine's last horizon). */
const horizonMs = 2 * 366 * 86_400_000;

/**
 * The intersection of the layers (SPEC §3 with issue 18's categories): a message may go only when every layer is
 * open. From `at`, jump to the latest opening among the closed layers until all are open at once. Pure.
 */
export function evaluateLayers(layers: readonly WindowLayer[], zone: string, at: number): LayeredEvaluation {
  let t = at;
  let decisive = { layer: layers[0]!, evaluation: evaluateWindow(layers[0]!.window, zone, at) };
  let closedNow: WindowLayer[] = [];
  for (let round = 0; t - at <= horizonMs; round++) {
    const evaluations = layers.map((layer) => ({ layer, evaluation: evaluateWindow(layer.window, zone, t) }));
    const closed = evaluations.filter(({ evaluation }) => !evaluation.open);
    if (round === 0) closedNow = closed.map(({ layer }) => layer);
    const closesAt = Math.min(...evaluations.map(({ evaluation }) => evaluation.closesAt ?? Infinity));
    const closes = Number.isFinite(closesAt) ? closesAt : undefined;
    if (closed.length === 0) {
      if (t === at) {
        const first = evaluations.find(({ evaluation }) => (evaluation.closesAt ?? Infinity) === closesAt)!;
        return {
          open: true,
          opensAt: at,
          closesAt: closes,
          decisive: first.layer,
          evaluation: first.evaluation,
          closedNow,
        };
      }
      return {
        open: false,
        opensAt: t,
        closesAt: closes,
        decisive: decisive.layer,
        evaluation: decisive.evaluation,
        closedNow,
      };
    }
    const never = closed.find(({ evaluation }) => evaluation.opensAt === undefined);
    if (never) return { open: false, decisive: never.layer, evaluation: never.evaluation, closedNow };
    const latest = closed.reduce((a, b) => (b.evaluation.opensAt! > a.evaluation.opensAt! ? b : a));
    decisive = latest;
    t = latest.evaluation.opensAt!;
  }
  return { open: false, decisive: decisive.layer, evaluation: decisive.evaluation, closedNow };
}
