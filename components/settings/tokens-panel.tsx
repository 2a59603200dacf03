"use client";

import { useState, type FormEvent } from "react";

import { LabelledInput } from "@/components/auth/input";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { fieldError } from "@/lib/client/request";
import { useTokenActions, useTokens } from "@/lib/client/use-team";
import type { TokenSummary } from "@/lib/scene/team";

function when(iso: string | null) {
  return iso ? new Date(iso).toLocaleString() : "never";
}

/** The token in an environment variable, and the API called with it as the copied cURL commands do. */
function tokenExample(token: string, origin: string): string {
  return [
    `export BACKDROP_TOKEN=${token}`,
    `curl -X POST ${origin}/v1/scene/create \\`,
    `  -H "Authorization: Bearer $BACKDROP_TOKEN" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d @request.json`,
  ].join("\n");
}

/** The signed-in person's personal access tokens: create (the secret is shown once), list, revoke. */
export function TokensPanel({ initial, origin }: { initial: TokenSummary[]; origin: string }) {
  const { data: tokens, error: loadError } = useTokens(initial);
  const actions = useTokenActions();
  const [name, setName] = useState("");
  const [created, setCreated] = useState<string>();
  const [actionError, setActionError] = useState<unknown>();
  const error = actionError ?? loadError;

  async function create(event: FormEvent) {
    event.preventDefault();
    setActionError(undefined);
    try {
      const { token } = await actions.create.mutateAsync(name);
      setCreated(token);
      setName("");
    } catch (failure) {
      setActionError(failure);
    }
  }

  async function revoke(id: string) {
    setActionError(undefined);
    try {
      await actions.revoke.mutateAsync(id);
    } catch (failure) {
      setActionError(failure);
    }
  }

  return (
    <section aria-labelledby="tokens-title" className="flex flex-col gap-4">
      <div>
        <h2 id="tokens-title" className="text-base font-semibold">
          Personal access tokens
        </h2>
        <p className="text-sm text-ink-soft">
          For scripts and Claid clients: send <code>Authorization: Bearer &lt;token&gt;</code> to{" "}
          <code>{origin}/v1/scene/create</code>. A token acts as you, with your role and budget.
        </p>
      </div>
      <form onSubmit={create} className="flex items-end gap-2" aria-label="Create a token">
        <div className="flex-1">
          <LabelledInput
            id="token-name"
            label="Name"
            placeholder="e.g. catalogue script"
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fieldError(error, "name")}
          />
        </div>
        <Button type="submit" variant="primary">
          Create token
        </Button>
      </form>
      {created ? (
        <div
          className="flex flex-col gap-2 rounded-md border border-accent bg-accent-soft p-3 text-sm"
          role="status"
        >
          <p>Copy this token now: it is not shown again.</p>
          <div className="flex items-center gap-2">
            <code
              className="flex-1 rounded bg-canvas-panel px-2 py-1 break-all select-all"
              data-testid="new-token"
            >
              {created}
            </code>
            <CopyButton text={created} name="the token" />
          </div>
          <p>Keep it in an environment variable, and call the API with it:</p>
          <div className="flex items-start gap-2">
            <pre
              className="flex-1 overflow-x-auto rounded bg-canvas-panel p-2 text-xs"
              data-testid="token-example"
            >
              {tokenExample(created, origin)}
            </pre>
            <CopyButton text={tokenExample(created, origin)} name="the example commands" />
          </div>
        </div>
      ) : null}
      {error instanceof Error && !fieldError(error, "name") ? (
        <p role="alert" className="text-sm text-danger">
          {error.message}
        </p>
      ) : null}
      <table className="w-full text-left text-sm">
        <thead className="text-xs text-ink-soft">
          <tr>
            <th className="py-1 font-medium">Name</th>
            <th className="py-1 font-medium">Token</th>
            <th className="py-1 font-medium">Created</th>
            <th className="py-1 font-medium">Last used</th>
            <th className="py-1" />
          </tr>
        </thead>
        <tbody>
          {tokens?.length === 0 ? (
            <tr>
              <td colSpan={5} className="py-2 text-ink-muted">
                No tokens yet.
              </td>
            </tr>
          ) : null}
          {tokens?.map((token) => (
            <tr key={token.id} className="border-t border-canvas-line">
              <td className="py-1.5">{token.name}</td>
              <td className="py-1.5 font-mono text-xs">{token.prefix}…</td>
              <td className="py-1.5">{when(token.createdAt)}</td>
              <td className="py-1.5">{when(token.lastUsedAt)}</td>
              <td className="py-1.5 text-right">
                <Button
                  size="sm"
                  variant="danger"
                  onClick={() => revoke(token.id)}
                  aria-label={`Revoke ${token.name}`}
                >
                  Revoke
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
