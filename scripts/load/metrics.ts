/**
 * Sums the samples of one metric in Prometheus text whose labels contain every given `name="value"`, or the
 * given fragment of label text (e.g. `outcome="started"`).
 */
export function metricSum(text: string, name: string, labels: Record<string, string> | string = {}): number {
  const wanted =
    typeof labels === 'string' ? [labels] : Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) && wanted.every((label) => line.includes(label)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** One scrape of `<url>/metrics`, summed as `metricSum` does. */
export async function counterOf(url: string, name: string, labels: Record<string, string> | string = {}) {
  return metricSum(await (await fetch(`${url}/metrics`)).text(), name, labels);
}
