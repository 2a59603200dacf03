import Link from "next/link";

import { SignOutButton } from "@/components/auth/sign-out-button";
import { homeFor, navFor, type NavSection } from "@/lib/auth/pages";
import type { Role } from "@/lib/scene/team";

export type Person = { email: string; role: Role };

const ROLE_LABELS: Record<Role, string> = { viewer: "Viewer", member: "Member", admin: "Admin" };

/**
 * The bar on every page someone is signed in to: the product name (back to their home), the places
 * their role may open, and who they are. A page refused to them has no `current` section.
 */
export function AppHeader({ current, person }: { current?: NavSection; person: Person }) {
  return (
    <header className="flex h-12 shrink-0 items-center gap-6 border-b border-canvas-line bg-canvas-panel px-4">
      <Link
        href={homeFor(person.role)}
        className="flex items-center gap-2 font-semibold tracking-tight text-ink"
      >
        <span aria-hidden className="inline-block size-4 rounded-[4px] bg-accent" />
        Backdrop
      </Link>
      <nav aria-label="Main">
        <ul className="flex items-center gap-1 text-sm">
          {navFor(person.role).map((link) => (
            <li key={link.section}>
              <Link
                href={link.href}
                aria-current={link.section === current ? "page" : undefined}
                className="rounded-md px-3 py-1.5 text-ink-soft hover:bg-canvas aria-[current=page]:bg-accent-soft aria-[current=page]:text-accent-strong"
              >
                {link.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="ml-auto flex items-center gap-2">
        <span className="text-xs text-ink-soft" data-testid="signed-in-as">
          {person.email} · {ROLE_LABELS[person.role]}
        </span>
        <SignOutButton />
      </div>
    </header>
  );
}
