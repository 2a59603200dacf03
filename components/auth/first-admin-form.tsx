"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { fieldError } from "@/lib/client/request";
import { createFirstAdmin, signInWithEmail } from "@/lib/client/session";

import { LabelledInput } from "./input";

/**
 * Shown only while the install has nobody: whoever submits first becomes its admin. On a server
 * reachable from other machines they also need the setup code it printed when it started.
 */
export function FirstAdminForm({ setupCodeRequired }: { setupCodeRequired: boolean }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [setupCode, setSetupCode] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await createFirstAdmin({ name, email, password, ...(setupCodeRequired ? { setupCode } : {}) });
      await signInWithEmail(email, password);
      // A new admin starts where the work is; Settings is one click away to add the team.
      router.replace("/");
      router.refresh();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" aria-label="Create the first admin">
      <LabelledInput
        id="name"
        label="Your name"
        required
        autoComplete="name"
        value={name}
        onChange={(e) => setName(e.target.value)}
        error={fieldError(error, "name")}
      />
      <LabelledInput
        id="email"
        label="Email"
        type="email"
        required
        autoComplete="username"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fieldError(error, "email")}
      />
      <LabelledInput
        id="password"
        label="Password"
        type="password"
        required
        minLength={10}
        autoComplete="new-password"
        hint="At least 10 characters"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={fieldError(error, "password")}
      />
      {setupCodeRequired ? (
        <LabelledInput
          id="setup-code"
          label="Setup code"
          required
          autoComplete="off"
          hint="Printed in the server's output when it started"
          value={setupCode}
          onChange={(e) => setSetupCode(e.target.value)}
          error={fieldError(error, "setupCode")}
        />
      ) : null}
      {error instanceof Error ? (
        <p role="alert" className="text-sm text-danger">
          {error.message}
        </p>
      ) : null}
      <Button type="submit" variant="primary" disabled={busy}>
        Create the first admin
      </Button>
    </form>
  );
}
