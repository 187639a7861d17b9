import { describe, expect, it } from "vitest";
import { coalesce } from "./coalesce.js";

/** A run whose completion the test decides. */
function gated() {
  const runs: { inputs: number[]; finish: (error?: Error) => void }[] = [];
  const run = (inputs: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      runs.push({
        inputs,
        finish: (error) => (error ? reject(error) : resolve(inputs.map((input) => `#${input}`))),
      });
    });
  return { runs, run };
}

describe("coalesce", () => {
  it("runs a lone call at once and the calls made meanwhile together in the next run", async () => {
    const { runs, run } = gated();
    const call = coalesce(run);
    const first = call(1);
    const later = [call(2), call(3), call(4)];
    expect(runs.map((r) => r.inputs)).toEqual([[1]]);
    runs[0]?.finish();
    expect(await first).toBe("#1");
    await Promise.resolve();
    expect(runs.map((r) => r.inputs)).toEqual([[1], [2, 3, 4]]);
    runs[1]?.finish();
    expect(await Promise.all(later)).toEqual(["#2", "#3", "#4"]);
  });

  it("tries a failed run of several again one by one, failing only the item that fails alone", async () => {
    const { runs, run } = gated();
    const call = coalesce(run);
    const first = call(1);
    const later = [call(2), call(3)].map((promise) =>
      promise.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
    );
    runs[0]?.finish();
    await first;
    await Promise.resolve();
    runs[1]?.finish(new Error("connection lost"));
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs.slice(2).map((r) => r.inputs)).toEqual([[2], [3]]);
    runs[2]?.finish();
    runs[3]?.finish(new Error("row refused"));
    expect(await Promise.all(later)).toEqual([{ value: "#2" }, { error: new Error("row refused") }]);
  });
});
