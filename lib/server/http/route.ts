import "server-only";

import { randomUUID } from "node:crypto";
import { z } from "zod";

import { storableString } from "@/lib/scene/storable";

import { authorize, type Access, type Principal } from "../auth/authorize";
import { isOwnHost, ownOrigins, requestHost } from "../auth/csrf";
import { getConfig } from "../config";
import { errors } from "../errors";
import { createLogger, type Logger } from "../log";
import { readJsonBody } from "./body";
import { errorResponse } from "./respond";

type Schema = z.ZodType;
type Parsed<S> = S extends Schema ? z.output<S> : undefined;

export type RouteSpec<A extends Access, PS, BS, QS> = {
  /** Who may call: checked by every route itself, before anything of the request is read. */
  access: A;
  /** The path's dynamic segments, e.g. `z.object({ id: z.string() })`. */
  params?: PS;
  /**
   * The JSON body, read up to `MAX_JSON_BYTES` (413 past it, 415 when it is not JSON, 400 when it does
   * not parse) and parsed (422 with every wrong field). A schema that accepts `undefined` makes it
   * optional: a request without a body is then parsed as `undefined`.
   */
  body?: BS;
  /** The query string; a key given more than once is an array. 422 with every wrong field. */
  query?: QS;
  /** Checks that must refuse a request before its body is read (a fresh install's first admin). */
  guard?: (request: Request) => Promise<void>;
};

export type RouteContext<A extends Access, P, B, Q> = {
  request: Request;
  params: P;
  body: B;
  query: Q;
  requestId: string;
  log: Logger;
  /** Who is calling: always someone, except on `public` routes when nobody is signed in. */
  principal: A extends "public" ? Principal | undefined : Principal;
};

type NextContext = { params: Promise<unknown> };

/** The `[id]` segment of a route. */
export const idParams = z.object({ id: storableString() });

function parsed<S extends Schema>(schema: S, value: unknown, message?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw errors.validation(result.error.issues, message);
  return result.data;
}

function queryObject(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? (values[0] ?? "") : values;
  }
  return query;
}

function hasNoBody(request: Request): boolean {
  return (
    request.body === null ||
    (!request.headers.has("content-type") && request.headers.get("content-length") === "0")
  );
}

async function bodyOf(request: Request, schema: Schema): Promise<unknown> {
  if (hasNoBody(request) && schema.safeParse(undefined).success) return undefined;
  return readJsonBody(request, getConfig().MAX_JSON_BYTES);
}

/**
 * Wraps a route handler: request id, access check, params, query and body read and parsed with the
 * given schemas, logging, and every error turned into `HttpErrorDetails`, so each handler holds only
 * its own logic.
 */
export function route<
  A extends Access,
  PS extends Schema | undefined = undefined,
  BS extends Schema | undefined = undefined,
  QS extends Schema | undefined = undefined,
>(
  spec: RouteSpec<A, PS, BS, QS>,
  handler: (ctx: RouteContext<A, Parsed<PS>, Parsed<BS>, Parsed<QS>>) => Promise<Response>,
): (request: Request, next?: NextContext) => Promise<Response> {
  return async (request, next) => {
    const requestId = request.headers.get("x-request-id")?.slice(0, 100) || randomUUID();
    const url = new URL(request.url);
    const log = createLogger({ requestId, method: request.method, path: url.pathname });
    try {
      const config = getConfig();
      if (!isOwnHost(request, config)) throw errors.unknownHost(requestHost(request), ownOrigins(config));
      const principal = await authorize(request, spec.access);
      await spec.guard?.(request);
      const params = spec.params ? parsed(spec.params, (await next?.params) ?? {}) : undefined;
      const query = spec.query
        ? parsed(spec.query, queryObject(url), "The query parameters are not valid")
        : undefined;
      const body = spec.body ? parsed(spec.body, await bodyOf(request, spec.body)) : undefined;
      // `authorize` has refused anyone missing where the access needs someone, and each part was parsed
      // with its schema when there is one: the context is what its type says.
      const ctx = { request, params, body, query, requestId, log, principal } as unknown as RouteContext<
        A,
        Parsed<PS>,
        Parsed<BS>,
        Parsed<QS>
      >;
      const response = await handler(ctx);
      response.headers.set("x-request-id", requestId);
      return response;
    } catch (error) {
      return errorResponse(error, requestId);
    }
  };
}
