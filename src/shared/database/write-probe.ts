/**
 * Named points in crash-safe writes (`import:row-written`, `save:written`, `delivery:claimed` ...)
 * where a crash test's child process stops itself to be killed there. Nothing in the app sets a
 * probe: without one, reaching a point costs a function call.
 */
export type WriteProbe = (point: string, detail?: Record<string, unknown>) => Promise<void> | void;

let probe: WriteProbe | undefined;

export function setWriteProbe(next: WriteProbe | undefined): void {
  probe = next;
}

export async function reachWritePoint(point: string, detail?: Record<string, unknown>): Promise<void> {
  if (probe) await probe(point, detail);
}
