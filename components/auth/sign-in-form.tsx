"use client";

import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { sameOriginPath } from "@/lib/auth/return-path";
import { ApiFailure } from "@/lib/client/request";
import { signInWithEmail, singleSignOnUrl } from "@/lib/client/session";

import { LabelledInput } from "./input";

/**
 * After signing in, back through this page: the server knows the person's role and sends them to
 * `next` when they may open it, else to their home. `next` is checked again against the page's real
 * origin, since the browser is where the redirect happens.
 */
function returnPath(next: string | undefined): string {
  const path = sameOriginPath(next, window.location.origin);
  return path ? `/sign-in?next=${encodeURIComponent(path)}` : "/sign-in";
}

/** Email and password, and single sign-on when the server has a provider configured. */
export function SignInForm({ next, ssoName }: { next?: string; ssoName?: string }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signInWithEmail(email, password);
      window.location.assign(returnPath(next));
    } catch (failure) {
      setError(
        failure instanceof ApiFailure && failure.status === 401
          ? "That email and password do not match an account"
          : failure instanceof Error
            ? failure.message
            : "Sign-in failed",
      );
      setBusy(false);
    }
  }

  async function singleSignOn() {
    setBusy(true);
    try {
      window.location.assign(await singleSignOnUrl(returnPath(next)));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "Single sign-on failed");
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Sign in">
      <LabelledInput
        id="email"
        label="Email"
        type="email"
        autoComplete="username"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <LabelledInput
        id="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      {error ? (
        <p role="alert" className="text-sm text-danger">
          {error}
        </p>
      ) : null}
      <Button type="submit" variant="primary" disabled={busy}>
        Sign in
      </Button>
      {ssoName ? (
        <Button onClick={singleSignOn} disabled={busy}>
          Sign in with {ssoName}
        </Button>
      ) : null}
    </form>
  );
}
