import { presetData } from './data';
import { expandIn } from './expand';
import type { RegulationPreset } from './types';

export type { PresetCap, PresetRule, RegulationPreset } from './types';

/** Frozen all the way down: a planner that edited a preset in place would change every later decision. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export const regulationPresets: Readonly<Record<string, RegulationPreset>> = deepFreeze(presetData);

export function isKnownPreset(id: string): boolean {
  return Object.hasOwn(regulationPresets, id);
}

/**
 * The presets that apply to a recipient located in `regions`: the preset itself, its includes (recursively), and
 * for each region in `regions` the byRecipientRegion preset (recursively); de-duplicated, in a stable order.
 * Throws on an unknown id: the admin API validates ids with isKnownPreset before a profile is stored.
 */
export function expandPreset(id: string, regions: readonly string[]): RegulationPreset[] {
  return expandIn(regulationPresets, id, regions);
}
