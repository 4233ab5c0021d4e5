/** Micro-benchmark timing shared by the per-row benchmarks. */

/**
 * Best µs per row of `work` over `rounds` rounds of `batches` calls, each call handling `rowsPerCall`
 * rows. The best round is the one least disturbed by the rest of the machine.
 */
export function bestMicrosPerRow(rounds: number, batches: number, rowsPerCall: number, work: (i: number) => unknown): number {
  let best = Infinity;
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < batches; i++) sink += work(i) === undefined ? 0 : 1;
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1000 / (batches * rowsPerCall));
  }
  if (sink < 0) console.log(sink); // keeps the results observable
  return best;
}
