import "server-only";

import { headers } from "next/headers";
import { redirect } from "next/navigation";

import { sameOriginPath } from "@/lib/auth/return-path";

import { getConfig } from "../config";
import { sessionPrincipal } from "./authorize";
import type { Principal } from "./principal";
import { roleAllows, type Access } from "./roles";

export type PageDecision = { allow: true } | { allow: false; redirectTo: string };

/** Where a person lands when they open the app. */
export function homeFor(principal: Principal): string {
  return roleAllows(principal.role, "member") ? "/" : "/gallery";
}

/** Pure, so the route-access test can check every role against every page's declared access. */
export function pageDecision(
  principal: Principal | undefined,
  access: Access,
  returnTo?: string,
): PageDecision {
  if (access === "public") return { allow: true };
  if (!principal) {
    const path = sameOriginPath(returnTo);
    const next = path ? `?next=${encodeURIComponent(path)}` : "";
    return { allow: false, redirectTo: `/sign-in${next}` };
  }
  if (!roleAllows(principal.role, access)) return { allow: false, redirectTo: `/sign-in?denied=${access}` };
  return { allow: true };
}

/** The signed-in person, from the session cookie (pages never accept bearer tokens). */
export async function currentPrincipal(): Promise<Principal | undefined> {
  return sessionPrincipal(await headers(), getConfig());
}

/**
 * Call first in every page: sends anonymous visitors to sign in and people whose role is too low to a
 * page saying so. Returns who is signed in.
 */
export async function requirePageAccess(
  access: Exclude<Access, "public">,
  returnTo?: string,
): Promise<Principal> {
  const principal = await currentPrincipal();
  const decision = pageDecision(principal, access, returnTo);
  if (!decision.allow || !principal) redirect(decision.allow ? "/sign-in" : decision.redirectTo);
  return principal;
}
