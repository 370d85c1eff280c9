/**
 * A one-line progress bar on stderr, drawn only on a TTY so piped output stays clean.
 */
import type { ScanProgress } from '../core/engine/scan-engine.js';

export function createProgressBar(stream: NodeJS.WriteStream): {
  update(progress: ScanProgress): void;
  done(): void;
} {
  if (!stream.isTTY) return { update() {}, done() {} };
  let lastDraw = 0;
  let drawn = false;
  return {
    update(progress) {
      const now = Date.now();
      // Redrawing on every fact would cost more than collecting it; 20 frames a second is plenty.
      if (now - lastDraw < 50 && progress.done !== progress.total) return;
      lastDraw = now;
      const width = 30;
      const filled = progress.total === 0 ? width : Math.round((progress.done / progress.total) * width);
      stream.write(
        `\r${progress.phase.padEnd(8)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progress.done}/${progress.total}\x1b[K`,
      );
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
