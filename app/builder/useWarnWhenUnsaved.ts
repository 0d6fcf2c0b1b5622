import { useWarnAboutChange } from "@refinedev/core";
import { useEffect } from "react";

/**
 * While `dirty`, leaving the page asks first: links and the menu (Refine's UnsavedChangesNotifier
 * in App) and closing or reloading the tab (beforeunload). Leaving the builder clears the flag.
 */
export function useWarnWhenUnsaved(dirty: boolean) {
  const { setWarnWhen } = useWarnAboutChange();
  useEffect(() => {
    setWarnWhen(dirty);
  }, [dirty, setWarnWhen]);
  useEffect(() => () => setWarnWhen(false), [setWarnWhen]);
}
