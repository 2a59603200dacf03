import Link from "next/link";

export type Section = "composer" | "gallery" | "campaigns" | "settings";

const LINKS: { section: Section; href: string; label: string }[] = [
  { section: "composer", href: "/", label: "Composer" },
  { section: "gallery", href: "/gallery", label: "Gallery" },
  { section: "campaigns", href: "/campaigns", label: "Campaigns" },
  { section: "settings", href: "/settings", label: "Settings" },
];

/** The bar on every page: the product name and the places people work in. */
export function AppHeader({ current, children }: { current: Section; children?: React.ReactNode }) {
  return (
    <header className="flex h-12 shrink-0 items-center gap-6 border-b border-canvas-line bg-canvas-panel px-4">
      <Link href="/" className="flex items-center gap-2 font-semibold tracking-tight text-ink">
        <span aria-hidden className="inline-block size-4 rounded-[4px] bg-accent" />
        Backdrop
      </Link>
      <nav aria-label="Main">
        <ul className="flex items-center gap-1 text-sm">
          {LINKS.map((link) => (
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
      <div className="ml-auto flex items-center gap-2">{children}</div>
    </header>
  );
}
