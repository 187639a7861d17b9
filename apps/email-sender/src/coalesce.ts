// Turns a statement run once per item into one run for every item asked for while the
// previous run was in flight: the workers of a send claim and mark their rows in shared
// round trips without waiting for one another (a lone caller goes at once). Hand-written
// because batching libraries (DataLoader and the like) gather by tick or timer instead,
// and add caching that rows being claimed must not have.

interface Waiting<In, Out> {
  input: In;
  resolve: (output: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * `run` gets the inputs in the order they were asked for and answers each in the same
 * position. A run of several that fails is tried again item by item, so that one item's
 * failure is not every item's.
 */
export function coalesce<In, Out>(run: (inputs: In[]) => Promise<Out[]>): (input: In) => Promise<Out> {
  let waiting: Waiting<In, Out>[] = [];
  let running = false;

  async function settle(batch: Waiting<In, Out>[]): Promise<void> {
    try {
      const outputs = await run(batch.map((item) => item.input));
      for (const [index, item] of batch.entries()) item.resolve(outputs[index] as Out);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      await Promise.all(batch.map((item) => settle([item])));
    }
  }

  async function drain(): Promise<void> {
    running = true;
    try {
      while (waiting.length > 0) {
        const batch = waiting;
        waiting = [];
        await settle(batch);
      }
    } finally {
      running = false;
    }
  }

  return (input) =>
    new Promise<Out>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      if (!running) void drain();
    });
}
