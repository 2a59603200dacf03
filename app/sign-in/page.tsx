import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { FirstAdminForm } from "@/components/auth/first-admin-form";
import { SignInForm } from "@/components/auth/sign-in-form";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { PLACEHOLDER_ORIGIN, sameOriginPath } from "@/lib/auth/return-path";
import { hasAnyUser } from "@/lib/server/auth/members";
import { currentPrincipal, homeFor } from "@/lib/server/auth/page-access";
import { listensBeyondLoopback } from "@/lib/server/auth/setup-code";
import { getConfig, type Config } from "@/lib/server/config";
import { getDatabase } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

const DENIED: Record<string, string> = {
  viewer: "Sign in to see this page.",
  member: "Composing and generating need the member role.",
  admin: "Settings are for admins.",
};

/**
 * Where to go after signing in: the page that sent them here when it is a path on this app, or (when
 * none) back to this page, which sends signed-in people to their role's home. The origin comes from
 * configuration, never from the request's Host; without one, only relative paths are accepted.
 */
function afterSignIn(value: string | string[] | undefined, config: Config): string {
  const origin = config.AUTH_URL ?? config.PUBLIC_BASE_URL ?? PLACEHOLDER_ORIGIN;
  return sameOriginPath(value, origin) ?? "/sign-in";
}

// /sign-in – public: signs people in; on a fresh install, creates the first admin
export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const config = getConfig();
  const principal = await currentPrincipal();
  const denied =
    typeof params.denied === "string" && Object.hasOwn(DENIED, params.denied)
      ? DENIED[params.denied]
      : undefined;
  if (principal && !denied) redirect(homeFor(principal));

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
        {principal && denied ? (
          <div className="flex flex-col gap-3" role="alert">
            <h1 className="text-lg font-semibold">Not available to you</h1>
            <p className="text-sm text-ink-soft">
              {denied} You are signed in as {principal.email} ({principal.role}).
            </p>
            <div className="flex items-center gap-2">
              <Link href={homeFor(principal)} className="text-sm text-accent-strong underline">
                Go back
              </Link>
              <SignOutButton />
            </div>
          </div>
        ) : fresh ? (
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
            <SignInForm next={afterSignIn(params.next, config)} ssoName={ssoName} />
            <p className="text-xs text-ink-muted">No account? Ask an admin to add you.</p>
          </>
        )}
      </div>
    </main>
  );
}
