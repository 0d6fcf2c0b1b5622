import { useCallback, useReducer } from "react";

interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** Edits with the same tag within COALESCE_MS (typing in one box) make one undo step. */
  lastTag?: string;
  lastAt: number;
}

type Action<T> =
  | { type: "set"; update: (present: T) => T; tag?: string; at: number }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "reset"; value: T };

const LIMIT = 200;
const COALESCE_MS = 800;

function reducer<T>(state: History<T>, action: Action<T>): History<T> {
  switch (action.type) {
    case "set": {
      const next = action.update(state.present);
      if (next === state.present) return state;
      const coalesce = action.tag !== undefined && action.tag === state.lastTag && action.at - state.lastAt < COALESCE_MS;
      return {
        past: coalesce ? state.past : [...state.past, state.present].slice(-LIMIT),
        present: next,
        future: [],
        lastTag: action.tag,
        lastAt: action.at,
      };
    }
    case "undo":
      if (!state.past.length) return state;
      return { past: state.past.slice(0, -1), present: state.past[state.past.length - 1], future: [state.present, ...state.future], lastAt: 0 };
    case "redo":
      if (!state.future.length) return state;
      return { past: [...state.past, state.present], present: state.future[0], future: state.future.slice(1), lastAt: 0 };
    case "reset":
      return { past: [], present: action.value, future: [], lastAt: 0 };
  }
}

/** State with undo/redo; `set` takes an updater so callbacks stay stable across renders. */
export function useHistory<T>(initial: T) {
  const [state, dispatch] = useReducer(reducer<T>, { past: [], present: initial, future: [], lastAt: 0 });
  const set = useCallback((update: (present: T) => T, tag?: string) => dispatch({ type: "set", update, tag, at: Date.now() }), []);
  const undo = useCallback(() => dispatch({ type: "undo" }), []);
  const redo = useCallback(() => dispatch({ type: "redo" }), []);
  const reset = useCallback((value: T) => dispatch({ type: "reset", value }), []);
  return { value: state.present, set, undo, redo, reset, canUndo: state.past.length > 0, canRedo: state.future.length > 0 };
}
