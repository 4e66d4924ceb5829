/** Loads a GET route for a component: its parsed answer, the failure message, and a way to reload. */
import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import { apiGet, messageOf } from './api.js';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload(): void;
}

/** `path` undefined: nothing to load yet. `refresh` changes reload it (e.g. a turn ended). */
export function useApi<T>(path: string | undefined, schema: z.ZodType<T>, refresh: unknown = 0): Loaded<T> {
  const [data, setData] = useState<{ path: string; value: T } | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [loading, setLoading] = useState(path !== undefined);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` and `attempt` only trigger a reload.
  useEffect(() => {
    if (path === undefined) {
      setLoading(false);
      return;
    }
    let current = true;
    setLoading(true);
    apiGet(path, schema).then(
      (answer) => {
        if (!current) return;
        setData({ path, value: answer });
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!current) return;
        setError(messageOf(failure));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [path, schema, refresh, attempt]);

  const reload = useCallback(() => setAttempt((count) => count + 1), []);
  // An answer for another path (before the new one arrives) is not this path's data.
  return { data: data && data.path === path ? data.value : undefined, error, loading, reload };
}
