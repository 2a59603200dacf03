import type { Metadata } from "next";

import { CampaignPlanner } from "@/components/campaigns/planner/campaign-planner";
import { AppHeader } from "@/components/ui/app-header";
import { NotAvailable } from "@/components/ui/not-available";
import { QueryProvider } from "@/lib/client/query-provider";
import { requirePageAccess } from "@/lib/server/auth/page-access";

export const metadata: Metadata = { title: "New campaign" };
export const dynamic = "force-dynamic";

// /campaigns/new – plan a campaign: products, scenes, ratios; the items and their cost as you go
export default async function NewCampaignPage() {
  const { me, allowed } = await requirePageAccess("member", "/campaigns/new");
  if (!allowed) return <NotAvailable person={me} needs="member" />;
  return (
    <div className="flex h-dvh flex-col">
      <AppHeader current="campaigns" person={me} />
      <main className="min-h-0 flex-1 overflow-auto">
        <QueryProvider>
          <CampaignPlanner />
        </QueryProvider>
      </main>
    </div>
  );
}
