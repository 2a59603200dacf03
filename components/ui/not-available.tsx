import Link from "next/link";

import { homeFor } from "@/lib/auth/pages";
import type { Role } from "@/lib/scene/team";

import { AppHeader, type Person } from "./app-header";

const WHY: Record<Exclude<Role, "viewer">, string> = {
  member: "The composer is for members: viewers see, compare and download results in the gallery.",
  admin: "Settings (people, roles, budgets and the Claid key) are for admins.",
};

const HOME_LABEL: Record<string, string> = { "/": "Go to the composer", "/gallery": "Go to the gallery" };

/** What a page shows someone signed in whose role may not see it: why, and where they can go instead. */
export function NotAvailable({ person, needs }: { person: Person; needs: Exclude<Role, "viewer"> }) {
  const home = homeFor(person.role);
  return (
    <div className="flex min-h-full flex-col">
      <AppHeader person={person} />
      <main className="mx-auto flex w-full max-w-xl flex-col gap-3 p-10" data-testid="not-available">
        <h1 className="text-xl font-semibold">This page is not available to you</h1>
        <p className="text-sm text-ink-soft">
          {WHY[needs]} You are signed in as {person.email}, with the {person.role} role; an admin can change
          it.
        </p>
        <p className="flex gap-4 text-sm">
          <Link href={home} className="font-medium text-accent-strong underline">
            {HOME_LABEL[home] ?? "Go back"}
          </Link>
          <Link href="/settings/tokens" className="text-accent-strong underline">
            Your access tokens
          </Link>
        </p>
      </main>
    </div>
  );
}
