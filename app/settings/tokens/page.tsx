import type { Metadata } from "next";
import { headers } from "next/headers";

import { TokensPanel } from "@/components/settings/tokens-panel";
import { AppHeader } from "@/components/ui/app-header";
import { QueryProvider } from "@/lib/client/query-provider";
import { requirePageAccess } from "@/lib/server/auth/page-access";
import { listTokens } from "@/lib/server/auth/tokens";
import { getConfig } from "@/lib/server/config";
import { getDatabase } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "Access tokens" };
export const dynamic = "force-dynamic";

// /settings/tokens – everyone signed in: their own personal access tokens
export default async function TokensPage() {
  const { me } = await requirePageAccess("viewer", "/settings/tokens");
  const config = getConfig();
  const requestHeaders = await headers();
  const host = requestHeaders.get("host") ?? `${config.HOST}:${config.PORT}`;
  const { db } = await getDatabase(config);
  const tokens = await listTokens(db, me.userId);
  const origin = config.PUBLIC_BASE_URL ?? config.AUTH_URL ?? `http://${host}`;
  return (
    <div className="flex min-h-full flex-col">
      <AppHeader current="tokens" person={me} />
      <main className="mx-auto flex w-full max-w-4xl flex-col gap-8 p-6">
        <h1 className="text-xl font-semibold">Access tokens</h1>
        <QueryProvider>
          <TokensPanel initial={tokens} origin={origin} />
        </QueryProvider>
      </main>
    </div>
  );
}
