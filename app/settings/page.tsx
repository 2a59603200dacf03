import type { Metadata } from "next";
import Link from "next/link";

import { MembersPanel } from "@/components/settings/members-panel";
import { AppHeader } from "@/components/ui/app-header";
import { NotAvailable } from "@/components/ui/not-available";
import { QueryProvider } from "@/lib/client/query-provider";
import { listMembers } from "@/lib/server/auth/members";
import { requirePageAccess } from "@/lib/server/auth/page-access";
import { engineAvailability, getConfig } from "@/lib/server/config";
import { getDatabase } from "@/lib/server/db/client";

export const metadata: Metadata = { title: "Settings" };
export const dynamic = "force-dynamic";

// /settings – admins: members, roles, budgets, whether the Claid key is configured
export default async function SettingsPage() {
  const { me, allowed } = await requirePageAccess("admin", "/settings");
  if (!allowed) return <NotAvailable person={me} needs="admin" />;
  const config = getConfig();
  const keyConfigured = engineAvailability(config).claid;
  const { db } = await getDatabase(config);
  const members = await listMembers(db);
  return (
    <div className="flex min-h-full flex-col">
      <AppHeader current="settings" person={me} />
      <main className="mx-auto flex w-full max-w-4xl flex-col gap-8 p-6">
        <h1 className="text-xl font-semibold">Settings</h1>
        <section aria-labelledby="key-title" className="flex flex-col gap-1">
          <h2 id="key-title" className="text-base font-semibold">
            Claid API key
          </h2>
          <p className="text-sm" data-testid="key-status">
            {keyConfigured
              ? "Configured on the server. Its value is never shown."
              : "Not configured: only local drafts are available. Set CLAID_API_KEY on the server."}
          </p>
        </section>
        <QueryProvider>
          <MembersPanel
            initial={members}
            selfId={me.userId}
            defaultBudget={config.DAILY_CLAID_IMAGE_BUDGET}
          />
        </QueryProvider>
        <p className="text-sm">
          <Link href="/settings/tokens" className="text-accent-strong underline">
            Your personal access tokens
          </Link>
        </p>
      </main>
    </div>
  );
}
