import type { Metadata } from "next";
import { redirect } from "next/navigation";

import { FirstAdminForm } from "@/components/auth/first-admin-form";
import { SignInForm } from "@/components/auth/sign-in-form";
import { landingFor } from "@/lib/auth/pages";
import { PLACEHOLDER_ORIGIN, sameOriginPath } from "@/lib/auth/return-path";
import { hasAnyUser } from "@/lib/server/auth/members";
import { currentPrincipal } from "@/lib/server/auth/page-access";
import { listensBeyondLoopback } from "@/lib/server/auth/setup-code";
import { getConfig, type Config } from "@/lib/server/config";
import { getDatabase } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

/**
 * The page a person came from (`next`) when it is a path on this app; the origin comes from
 * configuration, never from the request's Host, and without one only relative paths are accepted.
 */
function requestedNext(value: string | string[] | undefined, config: Config): string | undefined {
  const origin = config.AUTH_URL ?? config.PUBLIC_BASE_URL ?? PLACEHOLDER_ORIGIN;
  return sameOriginPath(value, origin);
}

// /sign-in – public: signs people in; on a fresh install, creates the first admin
export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const config = getConfig();
  const next = requestedNext(params.next, config);
  const principal = await currentPrincipal();
  // Signed in (just now, or earlier): the page they came from if their role may open it, else home.
  if (principal) redirect(landingFor(principal.role, next));

  const { db } = await getDatabase(config);
  const fresh = !(await hasAnyUser(db));
  const ssoName = config.OIDC_ISSUER ? config.OIDC_NAME : undefined;

  return (
    <main className="flex min-h-full items-center justify-center p-6">
      <div className="flex w-full max-w-sm flex-col gap-5 rounded-xl border border-canvas-line bg-canvas-panel p-6 shadow-sm">
        <div className="flex items-center gap-2 font-semibold tracking-tight">
          <span aria-hidden className="inline-block size-4 rounded-[4px] bg-accent" />
          Backdrop
        </div>
        {fresh ? (
          <>
            <div>
              <h1 className="text-lg font-semibold">Create the first admin</h1>
              <p className="text-sm text-ink-soft">
                This install has no accounts yet. The admin adds everyone else.
              </p>
            </div>
            <FirstAdminForm setupCodeRequired={listensBeyondLoopback(config)} />
          </>
        ) : (
          <>
            <h1 className="text-lg font-semibold">Sign in</h1>
            <SignInForm next={next} ssoName={ssoName} />
            <p className="text-xs text-ink-muted">No account? Ask an admin to add you.</p>
          </>
        )}
      </div>
    </main>
  );
}
