/** Prometheus text exposition, read back for the tests (prom-client writes it but has no parser). */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample line (`name{a="b"} 1`) of an exposition; `# HELP` / `# TYPE` lines are skipped. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`not an exposition line: ${line.slice(0, 200)}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (m[2] ?? '').matchAll(LABEL)) {
      labels[key as string] = (value as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The samples of one scrape, and the sum of those that match a name and some labels (0 when none do). */
export class Scrape {
  constructor(readonly samples: readonly Sample[]) {}

  static of(text: string): Scrape {
    return new Scrape(parseExposition(text));
  }

  series(name: string): Sample[] {
    return this.samples.filter((s) => s.name === name);
  }

  value(name: string, labels: Record<string, string> = {}): number {
    return this.series(name)
      .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      .reduce((sum, s) => sum + s.value, 0);
  }
}

/** GET `url` (a `/metrics` endpoint) and read it. */
export async function scrape(url: string): Promise<Scrape> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return Scrape.of(await res.text());
}
