import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { Router, type AroundNavHandler } from 'wouter';
import { useModal } from './use-modal';

// Editors with unsaved work ask before the marketer leaves them: closing or reloading the tab
// (the browser's own prompt), and every in-app navigation, which wouter hands to `aroundNav`
// (links, navigate(), redirects). Exits that are not navigations (Sign out) ask through
// `useConfirmLeave`. The browser's Back and Forward buttons cannot be cancelled: the page puts
// the editor's address back at once, then asks, and goes on to the other page if told to.

interface Guard {
  dirty(): boolean;
  save?: () => Promise<unknown>;
  lost(): string;
}

interface LeaveGuards {
  register: (guard: Guard) => () => void;
  /** Runs `leave` now when no editor would lose work, otherwise once the marketer confirms. */
  request: (leave: () => void) => void;
  /** Runs `leave` without asking: the editor has just saved, deleted or archived its record. */
  skip: (leave: () => void) => void;
}

const LeaveGuardContext = createContext<LeaveGuards | null>(null);

/** How long an autosaving editor gets to save what is pending before the marketer is asked. */
const SAVE_WAIT_MS = 5_000;

const pathOf = (to: string) => to.split(/[?#]/)[0];

/** Provides the guards to the pages below it and shows "Leave without saving?" when needed. */
export function LeaveGuardProvider({ children }: { children: ReactNode }) {
  const guards = useRef(new Set<Guard>());
  const skipping = useRef(false);
  const [asking, setAsking] = useState<{ lost: string[]; leave: () => void } | null>(null);

  const request = useCallback((leave: () => void) => {
    if (skipping.current) return leave();
    const dirty = [...guards.current].filter((g) => g.dirty());
    if (dirty.length === 0) return leave();
    void (async () => {
      // An autosaving editor saves what is pending first: only work that cannot be saved asks.
      const saving = dirty.flatMap((g) => (g.save ? [g.save().catch(() => undefined)] : []));
      if (saving.length > 0) {
        await Promise.race([
          Promise.all(saving),
          new Promise((resolve) => setTimeout(resolve, SAVE_WAIT_MS)),
        ]);
      }
      const still = dirty.filter((g) => g.dirty());
      if (still.length === 0) leave();
      else setAsking({ lost: still.map((g) => g.lost()), leave });
    })();
  }, []);

  const guardsValue = useMemo<LeaveGuards>(
    () => ({
      register: (guard) => {
        guards.current.add(guard);
        return () => guards.current.delete(guard);
      },
      request,
      skip: (leave) => {
        skipping.current = true;
        try {
          leave();
        } finally {
          skipping.current = false;
        }
      },
    }),
    [request],
  );

  // Search-only changes (filters kept in the URL) stay on the page: they never ask.
  const aroundNav = useCallback<AroundNavHandler>(
    (navigate, to, options) => {
      if (pathOf(to) === window.location.pathname) return navigate(to, options);
      request(() => navigate(to, options));
    },
    [request],
  );

  useBackAndForward(request, skipping, guards);

  return (
    <LeaveGuardContext.Provider value={guardsValue}>
      <Router aroundNav={aroundNav}>{children}</Router>
      <LeavePrompt
        asking={asking}
        onStay={() => setAsking(null)}
        onLeave={() => {
          const leave = asking?.leave;
          setAsking(null);
          if (leave) guardsValue.skip(leave);
        }}
      />
    </LeaveGuardContext.Provider>
  );
}

// Added when this module loads, before wouter subscribes on the first render: at the window,
// listeners run in the order they were added (capture or not), so this one hears Back and
// Forward first and can keep wouter from following them. (Not where there is no window: unit
// tests import pages that import this.)
let popStateHandler: ((event: PopStateEvent) => void) | null = null;
if (typeof window !== 'undefined') {
  window.addEventListener('popstate', (event) => popStateHandler?.(event));
}

const addressNow = () => window.location.pathname + window.location.search + window.location.hash;

/**
 * Back and Forward: the address has already changed when `popstate` fires. Heard before
 * wouter's own listener, the move is stopped there, the editor's address pushed back, and the
 * other page opened only once `request` lets it.
 */
function useBackAndForward(
  request: (leave: () => void) => void,
  skipping: { readonly current: boolean },
  guards: { readonly current: Set<Guard> },
) {
  useEffect(() => {
    let shown = addressNow();
    const moved = () => {
      shown = addressNow();
    };
    const onPopState = (event: PopStateEvent) => {
      const target = addressNow();
      const stays = pathOf(target) === pathOf(shown);
      if (skipping.current || stays || ![...guards.current].some((g) => g.dirty())) {
        return moved();
      }
      event.stopImmediatePropagation();
      history.pushState(history.state, '', shown);
      request(() => history.pushState(null, '', target));
    };
    popStateHandler = onPopState;
    // wouter dispatches these after every navigation it makes (it patches the History API).
    window.addEventListener('pushState', moved);
    window.addEventListener('replaceState', moved);
    return () => {
      if (popStateHandler === onPopState) popStateHandler = null;
      window.removeEventListener('pushState', moved);
      window.removeEventListener('replaceState', moved);
    };
  }, [request, skipping, guards]);
}

function LeavePrompt({
  asking,
  onStay,
  onLeave,
}: {
  asking: { lost: string[] } | null;
  onStay: () => void;
  onLeave: () => void;
}) {
  const titleId = useId();
  const ref = useModal(asking !== null, noop);
  return (
    <dialog ref={ref} className="dialog" onClose={onStay} aria-labelledby={titleId}>
      <h2 id={titleId}>Leave without saving?</h2>
      {asking?.lost.map((sentence) => (
        <p key={sentence}>{sentence}</p>
      ))}
      <div className="dialog-actions">
        <button type="button" onClick={onStay} autoFocus>
          Stay on this page
        </button>
        <button type="button" className="danger" onClick={onLeave}>
          Leave without saving
        </button>
      </div>
    </dialog>
  );
}

const noop = () => {};

/**
 * Asks before the marketer leaves an editor whose work is not saved: the browser's prompt when
 * the tab closes or reloads, and "Leave without saving?" for links and other moves in the app.
 * `save` lets an autosaving editor save what is pending before anyone is asked. Returns
 * `leaveWithoutAsking`, for the editor's own navigation right after it saved or deleted.
 */
export function useLeaveGuard(options: {
  dirty: boolean | (() => boolean);
  /** What is lost by leaving, in the marketer's words. */
  lost: string | (() => string);
  save?: () => Promise<unknown>;
}) {
  const context = useContext(LeaveGuardContext);
  const latest = useRef(options);
  useLayoutEffect(() => {
    latest.current = options;
  });
  useEffect(() => {
    const guard: Guard = {
      dirty: () => {
        const { dirty } = latest.current;
        return typeof dirty === 'function' ? dirty() : dirty;
      },
      lost: () => {
        const { lost } = latest.current;
        return typeof lost === 'function' ? lost() : lost;
      },
      save: () => latest.current.save?.() ?? Promise.resolve(),
    };
    const unregister = context?.register(guard);
    const warn = (event: BeforeUnloadEvent) => {
      if (guard.dirty()) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      unregister?.();
      window.removeEventListener('beforeunload', warn);
    };
  }, [context]);
  return { leaveWithoutAsking: useLeaveWithoutAsking() };
}

/** Runs a navigation without asking, for a record just deleted or archived from its editor. */
export function useLeaveWithoutAsking(): (leave: () => void) => void {
  const context = useContext(LeaveGuardContext);
  return context?.skip ?? runNow;
}

/** Asks before an exit that is not a navigation (Sign out) when an editor would lose work. */
export function useConfirmLeave(): (leave: () => void) => void {
  const context = useContext(LeaveGuardContext);
  return context?.request ?? runNow;
}

const runNow = (leave: () => void) => leave();
