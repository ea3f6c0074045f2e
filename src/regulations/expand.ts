import type { RegulationPreset } from './types';

/**
 * The presets that apply to a recipient located in `regions`, starting from `id`: the preset, its includes, and
 * the preset its byRecipientRegion names for each region, each of those expanded the same way. Depth first, each
 * preset once at its first occurrence, so the order follows the data and the regions' order, and a cycle ends.
 * Takes the table as a parameter so a test can hand it a cyclic one; presets.ts binds it to the shipped data.
 */
export function expandIn(
  table: Readonly<Record<string, RegulationPreset>>,
  id: string,
  regions: readonly string[],
): RegulationPreset[] {
  const wanted = regions.map((region) => region.toUpperCase());
  const found: RegulationPreset[] = [];
  const seen = new Set<string>();
  const visit = (presetId: string, from?: string) => {
    if (seen.has(presetId)) return;
    const preset = Object.hasOwn(table, presetId) ? table[presetId] : undefined;
    if (!preset) throw new Error(`unknown regulation preset '${presetId}'${from ? ` (named by ${from})` : ''}`);
    seen.add(presetId);
    found.push(preset);
    for (const included of preset.includes ?? []) visit(included, presetId);
    for (const region of wanted) {
      const byRegion = preset.byRecipientRegion?.[region];
      if (byRegion !== undefined) visit(byRegion, presetId);
    }
  };
  visit(id);
  return found;
}
