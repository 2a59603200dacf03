/**
 * Signing in and out: Better Auth's own endpoints, whose answers are not part of our contract. Kept
 * free of schemas so the sign-in page and every page's sign-out button stay light.
 */
import type { FirstAdminInput } from "@/lib/scene/team";

import { request, send, type Answer } from "./request";

const redirect: Answer<{ url: string }> = {
  parse(value) {
    const url = typeof value === "object" && value !== null ? (value as { url?: unknown }).url : undefined;
    if (typeof url !== "string") throw new Error("The sign-in provider did not say where to go");
    return { url };
  },
};

export function signInWithEmail(email: string, password: string): Promise<void> {
  return send("/api/auth/sign-in/email", { json: { email, password } });
}

/** Where to send the browser for single sign-on. */
export async function singleSignOnUrl(callbackURL: string): Promise<string> {
  return (await request("/api/auth/sign-in/social", redirect, { json: { provider: "oidc", callbackURL } }))
    .url;
}

/** Only while the install has nobody: whoever submits first becomes its admin. */
export function createFirstAdmin(input: FirstAdminInput): Promise<void> {
  return send("/api/members/first-admin", { json: input });
}

export function signOut(): Promise<void> {
  return send("/api/auth/sign-out", { json: {} });
}
