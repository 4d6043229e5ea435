// Progress for long commands: a redrawn line on a TTY (stderr), nothing otherwise (the command prints
// one summary line at the end). Also the SIGINT/SIGTERM handling shared by the writing commands.
export interface ProgressLine {
  update(text: string): void;
  done(): void;
}

export function progressLine(stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  if (!stream.isTTY) return { update() {}, done() {} };
  let last = 0;
  let shown = false;
  return {
    update(text) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[2K${text}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}

/** An AbortSignal fired by the first SIGINT/SIGTERM (stop after the batch in flight); a second one exits. */
export function stopOnSignals(onStop: () => void = () => {}): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\nsagewire: ${name} — stopping after the batch in flight (again to quit now)\n`);
    controller.abort();
    onStop();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

export function userError(message: string): Error {
  return Object.assign(new Error(message), { userFacing: true });
}
