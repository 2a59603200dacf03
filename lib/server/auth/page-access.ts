import "server-only";

import { headers } from "next/headers";
import { redirect } from "next/navigation";

import { sameOriginPath } from "@/lib/auth/return-path";

import { getConfig } from "../config";
import { sessionPrincipal } from "./authorize";
import type { Principal } from "./principal";
import { roleAllows, type Access } from "./roles";

export type PageDecision =
  | { allow: true }
  | { allow: false; redirectTo: string }
  | { allow: false; refused: Exclude<Access, "public"> };

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
  if (!roleAllows(principal.role, access)) return { allow: false, refused: access };
  return { allow: true };
}

/** The signed-in person, from the session cookie (pages never accept bearer tokens). */
export async function currentPrincipal(): Promise<Principal | undefined> {
  return sessionPrincipal(await headers(), getConfig());
}

export type PageVisit = { me: Principal; allowed: boolean };

/**
 * Call first in every page: sends anonymous visitors to sign in (and back here afterwards). Returns
 * who is signed in and whether their role may see the page; when not, the page shows why, under the
 * app's header, instead of its content (`NotAvailable`).
 */
export async function requirePageAccess(
  access: Exclude<Access, "public">,
  returnTo?: string,
): Promise<PageVisit> {
  const principal = await currentPrincipal();
  const decision = pageDecision(principal, access, returnTo);
  if (!principal) redirect("redirectTo" in decision ? decision.redirectTo : "/sign-in");
  return { me: principal, allowed: decision.allow };
}
