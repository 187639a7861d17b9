// Runs `count` pieces of work, `concurrency` at a time, and says how long they took.

/** Seconds from the first piece started to the last one finished. */
export async function inParallel(
  concurrency: number,
  count: number,
  work: (index: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < count; index = next++) await work(index);
    }),
  );
  return (performance.now() - started) / 1000;
}
