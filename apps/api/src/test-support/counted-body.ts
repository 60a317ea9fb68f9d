/**
 * A request body for the tests of oversized and stalled uploads (D-23).
 *
 * @internal Test support only.
 */

const MiB = 1024 * 1024;

/**
 * A request body of `chunks` pieces of 1 MiB (spaces), pulled one at a
 * time, that records how many were pulled and whether it was cancelled; with
 * `stallAfter`, it delivers that many pieces and then nothing more, ever (a
 * client that stopped sending).
 */
export function countedBody(chunks: number, stallAfter?: number) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (seen.pulled === stallAfter) return new Promise<void>(() => undefined);
        if (seen.pulled === chunks) return controller.close();
        seen.pulled++;
        controller.enqueue(new Uint8Array(MiB).fill(0x20));
      },
      cancel() {
        seen.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, seen };
}
