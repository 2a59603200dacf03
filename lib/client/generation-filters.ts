/** The gallery's filters as the URL and `GET /api/generations` spell them (all strings; empty means "any"). */
export type GenerationFilters = {
  engine: string;
  status: string;
  aspect: string;
  q: string;
  favorite: boolean;
  from: string;
  to: string;
  mine: boolean;
  /** Only generations with an output whose product was altered or moved. */
  flagged: boolean;
};

export const NO_FILTERS: GenerationFilters = {
  engine: "",
  status: "",
  aspect: "",
  q: "",
  favorite: false,
  from: "",
  to: "",
  mine: false,
  flagged: false,
};

export function filtersToParams(filters: GenerationFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ["engine", "status", "aspect", "q", "from", "to"] as const) {
    const value = filters[key].trim();
    if (value) params.set(key, value);
  }
  if (filters.favorite) params.set("favorite", "1");
  if (filters.mine) params.set("mine", "1");
  if (filters.flagged) params.set("flagged", "1");
  return params;
}

export function filtersFromParams(params: URLSearchParams): GenerationFilters {
  return {
    engine: params.get("engine") ?? "",
    status: params.get("status") ?? "",
    aspect: params.get("aspect") ?? "",
    q: params.get("q") ?? "",
    favorite: params.get("favorite") === "1",
    from: params.get("from") ?? "",
    to: params.get("to") ?? "",
    mine: params.get("mine") === "1",
    flagged: params.get("flagged") === "1",
  };
}
