import type { Metadata } from "next";
import { Suspense } from "react";

import { Gallery } from "@/components/gallery/gallery";
import { AppHeader } from "@/components/ui/app-header";
import { QueryProvider } from "@/lib/client/query-provider";
import { requirePageAccess } from "@/lib/server/auth/page-access";

export const metadata: Metadata = { title: "Gallery" };
export const dynamic = "force-dynamic";

// /gallery – every generation, newest first: filter, inspect, compare, favourite, delete, download
export default async function GalleryPage() {
  const { me } = await requirePageAccess("viewer", "/gallery");
  return (
    <div className="flex h-dvh flex-col">
      <AppHeader current="gallery" person={me} />
      <main className="flex min-h-0 flex-1 flex-col">
        <h1 className="sr-only">Gallery</h1>
        <Suspense fallback={<p className="m-6 text-ink-muted">Loading…</p>}>
          <QueryProvider>
            <Gallery canEdit={me.role !== "viewer"} />
          </QueryProvider>
        </Suspense>
      </main>
    </div>
  );
}
