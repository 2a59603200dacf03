import type { Metadata } from "next";

import { CampaignBoard } from "@/components/campaigns/board/campaign-board";
import { AppHeader } from "@/components/ui/app-header";
import { QueryProvider } from "@/lib/client/query-provider";
import { requirePageAccess } from "@/lib/server/auth/page-access";

export const metadata: Metadata = { title: "Campaign" };
export const dynamic = "force-dynamic";

// /campaigns/:id – the campaign filling in live, then its review board
export default async function CampaignPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { me } = await requirePageAccess("viewer", `/campaigns/${id}`);
  return (
    <div className="flex h-dvh flex-col">
      <AppHeader current="campaigns" person={me} />
      <main className="min-h-0 flex-1 overflow-auto">
        <QueryProvider>
          <CampaignBoard
            id={id}
            canReview={me.role !== "viewer"}
            me={{ id: me.userId, admin: me.role === "admin" }}
          />
        </QueryProvider>
      </main>
    </div>
  );
}
