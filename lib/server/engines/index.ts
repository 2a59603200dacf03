import "server-only";

import type { Config, EngineName } from "../config";
import { engineAvailability } from "../config";
import { ApiError } from "../errors";
import type { SceneEngine } from "./types";

export const ENGINE_NAMES = ["local", "claid"] as const satisfies readonly EngineName[];

export function isEngineName(value: string): value is EngineName {
  return (ENGINE_NAMES as readonly string[]).includes(value);
}

/** `?engine=` wins over the `X-Backdrop-Engine` header; otherwise the configured default. */
export function requestedEngine(request: Request, config: Config): EngineName {
  const asked = new URL(request.url).searchParams.get("engine") ?? request.headers.get("x-backdrop-engine");
  if (asked === null || asked === "") return config.DEFAULT_ENGINE;
  if (!isEngineName(asked)) {
    throw new ApiError(
      422,
      "unknown_engine",
      "validation",
      `Unknown engine "${asked.slice(0, 40)}": use local or claid`,
      {
        fields: { engine: ["Use local or claid"] },
      },
    );
  }
  return asked;
}

/** Engines load lazily so a server without a key never touches the claid code path. */
export async function engineFor(name: EngineName, config: Config): Promise<SceneEngine> {
  if (!engineAvailability(config)[name]) {
    throw new ApiError(
      422,
      "engine_unavailable",
      "runtime_settings",
      "The claid engine is not configured on this server (no CLAID_API_KEY)",
      {
        fields: { engine: ["Not configured on this server"] },
      },
    );
  }
  if (name === "claid") return (await import("./claid")).claidEngine;
  return (await import("./local")).localEngine;
}
