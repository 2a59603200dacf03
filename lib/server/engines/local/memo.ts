import "server-only";

/**
 * A small most-recently-used memo of promises. Drafts are re-rendered over and over while a designer
 * changes one thing at a time (the prompt, the format, the count); what did not change (the placed
 * product, its shadow, a surface texture) is reused. Failed work is forgotten at once.
 */
export function memo<T>(capacity: number) {
  const entries = new Map<string, Promise<T>>();
  return (key: string, make: () => Promise<T>): Promise<T> => {
    const known = entries.get(key);
    if (known) {
      entries.delete(key);
      entries.set(key, known);
      return known;
    }
    const value = make();
    entries.set(key, value);
    value.catch(() => entries.delete(key));
    while (entries.size > capacity) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
    return value;
  };
}
