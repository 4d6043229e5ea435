// Waiting in tests on what is awaited (an inbox row, a journal entry, a page's state), never on a span of
// time: the condition is looked at again after each turn of I/O until it holds. The bound only keeps a broken
// build from hanging the run, and its message says what never came.
export async function waitUntil<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 60_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
