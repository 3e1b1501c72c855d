import cliProgress from 'cli-progress';
import type { Progress } from '../core/index.js';

/** One progress line for a chat front end: "Removed 120 of 400 (9.5/s, about 30 s to go)…". */
export function progressText(p: Progress): string {
  const eta = p.etaMs === undefined ? '' : `, about ${Math.ceil(p.etaMs / 1000)} s to go`;
  return `Removed ${p.done.toLocaleString('en')} of ${p.total.toLocaleString('en')} (${p.rate.toFixed(1)}/s${eta})…`;
}

/**
 * Shows a long batch's progress on a stream: a progress bar on a terminal for more than `minTotal` removals;
 * elsewhere (a pipe, a log file) a line every 10% for batches of 100 or more.
 */
export function progressReporter(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  minTotal = 10,
  /** A word after the bar on a terminal (the console: `Ctrl-C cancels`). */
  hint?: string,
) {
  let bar: cliProgress.SingleBar | undefined;
  let lastStep = 0;
  return {
    onProgress(p: Progress): void {
      if (p.total <= (stream.isTTY ? minTotal : Math.max(minTotal, 99))) return;
      const eta = p.etaMs === undefined ? '?' : `${Math.ceil(p.etaMs / 1000)}s`;
      if (stream.isTTY) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              stream,
              format: `removing [{bar}] {value}/{total} · {rate}/s · ETA {eta_text}${hint ? ` · ${hint}` : ''}`,
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(p.total, 0, { rate: '0', eta_text: '?' });
        }
        bar.update(p.done, { rate: p.rate.toFixed(1), eta_text: eta });
        if (p.done === p.total) bar.stop();
        return;
      }
      const step = Math.floor((p.done / p.total) * 10);
      if (step > lastStep || p.done === p.total) {
        lastStep = step;
        stream.write(
          `progress: ${p.done}/${p.total} (${Math.floor((p.done / p.total) * 100)}%) · ${p.rate.toFixed(1)}/s · ETA ${eta}\n`,
        );
      }
    },
    stop(): void {
      bar?.stop();
    },
  };
}
