// Saves drafts a moment after the marketer stops changing them, one request at a time, and
// never loses the last change: whatever changed during a save is saved right after it.

export type SaveStatus =
  | { state: 'saved' }
  | { state: 'pending' }
  | { state: 'saving' }
  | { state: 'failed'; error: Error };

export interface Autosaver {
  /** Something changed: save it after the quiet delay. */
  changed(): void;
  /** Save now if anything is unsaved; resolves when it is saved (or the save failed). */
  flush(): Promise<void>;
  /** True while a change has not reached the server. */
  dirty(): boolean;
  dispose(): void;
}

export function createAutosaver(options: {
  save: () => Promise<void>;
  onStatus: (status: SaveStatus) => void;
  delayMs?: number;
}): Autosaver {
  const delay = options.delayMs ?? 700;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  let unsaved = false;
  let disposed = false;

  async function run(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    if (running) {
      await running;
      return unsaved ? run() : undefined;
    }
    if (!unsaved) return;
    unsaved = false;
    options.onStatus({ state: 'saving' });
    running = options.save().then(
      () => {
        if (!unsaved) options.onStatus({ state: 'saved' });
      },
      (error: unknown) => {
        // Keep the change marked unsaved so the next edit (or a retry) sends it again.
        unsaved = true;
        options.onStatus({
          state: 'failed',
          error: error instanceof Error ? error : new Error(String(error)),
        });
      },
    );
    try {
      await running;
    } finally {
      running = null;
    }
  }

  return {
    changed() {
      if (disposed) return;
      unsaved = true;
      options.onStatus({ state: 'pending' });
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void run(), delay);
    },
    flush: run,
    dirty: () => unsaved || running !== null,
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
