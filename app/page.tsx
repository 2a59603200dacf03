import type { Metadata } from "next";

import { Composer } from "@/components/composer/composer";
import { AppHeader } from "@/components/ui/app-header";
import { NotAvailable } from "@/components/ui/not-available";
import { requirePageAccess } from "@/lib/server/auth/page-access";
import { getConfig } from "@/lib/server/config";

export const metadata: Metadata = { title: "Composer" };
export const dynamic = "force-dynamic";

// / – the composer: place a product in a frame, choose a scene and output, generate
export default async function ComposerPage({
  searchParams,
}: {
  searchParams: Promise<{ from?: string | string[] }>;
}) {
  const { from } = await searchParams;
  const returnTo = typeof from === "string" ? `/?from=${encodeURIComponent(from)}` : "/";
  const { me, allowed } = await requirePageAccess("member", returnTo);
  if (!allowed) return <NotAvailable person={me} needs="member" />;
  return (
    <div className="flex h-dvh flex-col">
      <AppHeader current="composer" person={me} />
      <main className="flex min-h-0 flex-1 flex-col">
        <h1 className="sr-only">Composer</h1>
        <Composer
          from={typeof from === "string" ? from : undefined}
          maxUploadBytes={getConfig().MAX_UPLOAD_BYTES}
        />
      </main>
    </div>
  );
}
