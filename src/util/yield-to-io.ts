/** Lets pending I/O (incoming webhooks, page requests) run before the next piece of background work. */
export function yieldToIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
