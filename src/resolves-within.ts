/**
 * Whether `work` resolves within `ms`: false when it rejects or is still pending then (it is not
 * awaited further). The timer never outlives the answer, so it holds no process open.
 */
export async function resolvesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(resolve, ms, false);
  });
  try {
    return await Promise.race([
      work.then(
        () => true,
        () => false,
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
