// Who may call what: the same table as docs/access.md, as data. The route-access test fails when a
// route or page exists without a row here, or when a row disagrees with what the code does.
import type { Access } from "@/lib/server/auth/roles";

/**
 * `better-auth`: Better Auth's own endpoints (sign-in, sign-out, session); public by nature, each
 * endpoint checks what it needs.
 */
export type RouteAccess = Access | "better-auth";

export const ROUTE_ACCESS: Record<string, RouteAccess> = {
  "GET /api/auth/*": "better-auth",
  "POST /api/auth/*": "better-auth",
  "GET /api/health": "public",
  "POST /api/members/first-admin": "public",
  "GET /api/engines": "viewer",
  "GET /api/me": "viewer",
  "GET /api/generations": "viewer",
  "GET /api/generations/:id": "viewer",
  "GET /api/generations/:id/events": "viewer",
  "GET /api/generations/events": "viewer",
  "GET /api/files/:key": "viewer",
  "GET /api/files/:key/thumb": "viewer",
  "GET /api/downloads": "viewer",
  "POST /api/exports": "viewer",
  "POST /api/exports/check": "viewer",
  "GET /api/tokens": "viewer",
  "POST /api/tokens": "viewer",
  "DELETE /api/tokens/:id": "viewer",
  "GET /api/campaigns": "viewer",
  "GET /api/campaigns/:id": "viewer",
  "GET /api/campaigns/:id/events": "viewer",
  "GET /api/campaigns/:id/download": "viewer",
  "GET /api/presets": "viewer",
  "POST /api/generations": "member",
  "PATCH /api/generations/:id": "member",
  "DELETE /api/generations/:id": "member",
  "POST /api/scene/create": "member",
  "POST /api/uploads": "member",
  "POST /api/imports": "member",
  "POST /api/image/edit": "member",
  "POST /api/image/edit/upload": "member",
  "POST /api/cutouts": "member",
  "GET /api/previews/backdrop": "member",
  "POST /api/campaigns": "member",
  "POST /api/campaigns/:id/cancel": "member",
  "POST /api/campaigns/:id/retry": "member",
  "POST /api/outputs/:id/review": "member",
  "POST /api/presets": "member",
  "DELETE /api/presets/:id": "member",
  "GET /api/members": "admin",
  "POST /api/members": "admin",
  "PATCH /api/members/:id": "admin",
  "POST /api/members/:id/password": "admin",
};

export const PAGE_ACCESS: Record<string, Access> = {
  "/sign-in": "public",
  "/": "member",
  "/gallery": "viewer",
  "/campaigns": "viewer",
  "/campaigns/new": "member",
  "/campaigns/:id": "viewer",
  "/settings": "admin",
  "/settings/tokens": "viewer",
};
