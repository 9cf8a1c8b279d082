/** Heap figures for the benchmarks: a callable gc, and the heap in use once garbage is collected. */
import v8 from 'node:v8';
import vm from 'node:vm';

/** A callable gc: --expose-gc's when given, otherwise switched on at run time (V8 allows it). */
export function findGc(): { gc?: () => void; how: string } {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return { gc: exposed, how: 'global.gc from --expose-gc' };
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return { gc: gc as () => void, how: 'gc enabled at run time via v8.setFlagsFromString (no --expose-gc given)' };
  } catch {
    // fall through
  }
  return { how: 'NOT AVAILABLE: heap figures below are unreliable (run with node --expose-gc --import tsx)' };
}

/** The heap in use after two full collections (the second one frees what the first one's finalisers released). */
export function heapUsedAfterGc(gc: (() => void) | undefined): number {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}
