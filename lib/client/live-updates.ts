/**
 * `?updates=poll` on a page's URL turns its live updates into polling, as if the event stream had
 * dropped: how the fallback is checked end to end and measured against push.
 */
export const FORCE_POLLING = { param: "updates", value: "poll" } as const;

export function pollingForced(): boolean {
  if (typeof window === "undefined") return false;
  return new URLSearchParams(window.location.search).get(FORCE_POLLING.param) === FORCE_POLLING.value;
}
