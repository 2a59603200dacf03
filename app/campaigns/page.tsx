import type { Metadata } from "next";

import { CampaignList } from "@/components/campaigns/campaign-list";
import { AppHeader } from "@/components/ui/app-header";
import { QueryProvider } from "@/lib/client/query-provider";
import { requirePageAccess } from "@/lib/server/auth/page-access";

export const metadata: Metadata = { title: "Campaigns" };
export const dynamic = "force-dynamic";

// /campaigns – every campaign with its progress; members start new ones
export default async function CampaignsPage() {
  const { me } = await requirePageAccess("viewer", "/campaigns");
  return (
    <div className="flex h-dvh flex-col">
      <AppHeader current="campaigns" person={me} />
      <main className="min-h-0 flex-1 overflow-auto">
        <QueryProvider>
          <CampaignList canStart={me.role !== "viewer"} />
        </QueryProvider>
      </main>
    </div>
  );
}
