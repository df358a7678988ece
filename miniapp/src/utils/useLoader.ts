import { useRef, useState } from 'react';
import { messageOf } from '../api/client';

export interface Loaded<T> {
  data?: T;
  /** Set while a request is out; the previous data stays visible meanwhile. */
  loading: boolean;
  /** The last failure, in Chinese; cleared when a load starts. */
  error?: string;
}

/**
 * One remote list or value: loading, loaded or failed, never stuck on 正在加载…. Only the latest request's
 * answer is kept, so a slow earlier answer cannot overwrite a newer one.
 */
export function useLoader<T>() {
  const [state, setState] = useState<Loaded<T>>({ loading: false });
  const latest = useRef(0);

  async function load(fetch: () => Promise<T>): Promise<T | undefined> {
    const mine = ++latest.current;
    setState((s) => ({ data: s.data, loading: true }));
    try {
      const data = await fetch();
      if (mine === latest.current) setState({ data, loading: false });
      return data;
    } catch (e) {
      if (mine === latest.current) setState((s) => ({ data: s.data, loading: false, error: messageOf(e) }));
      return undefined;
    }
  }

  function reset(): void {
    latest.current++;
    setState({ loading: false });
  }

  return { ...state, load, reset };
}
