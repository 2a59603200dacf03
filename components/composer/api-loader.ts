/**
 * The composer's server calls, loaded on first use: they check every answer against the shared
 * schemas, and the validator need not be part of the first paint.
 */
export const loadApi = () => import("./api");
