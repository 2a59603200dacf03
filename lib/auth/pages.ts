/**
 * The app's pages, who may open each, and what follows from that: the header's links for a role, a
 * person's home, and where they land after signing in. Pure, so the server (page checks, the sign-in
 * redirect) and the browser (the header) read the same table; the route-access test checks that each
 * page declares the access written here.
 */
import { ROLES, type Role } from "@/lib/scene/team";

export type PageAccess = "public" | Role;

export const PAGES = {
  "/sign-in": "public",
  "/": "member",
  "/gallery": "viewer",
  "/campaigns": "viewer",
  "/campaigns/new": "member",
  "/campaigns/:id": "viewer",
  "/settings": "admin",
  "/settings/tokens": "viewer",
} as const satisfies Record<string, PageAccess>;

export type PagePath = keyof typeof PAGES;

/** Roles are ordered (viewer, member, admin): each may open every page the ones before it may. */
export function mayOpen(role: Role, access: PageAccess): boolean {
  return access === "public" || ROLES.indexOf(role) >= ROLES.indexOf(access);
}

/** Where a person starts: the composer for those who compose, the gallery for viewers. */
export function homeFor(role: Role): PagePath {
  return mayOpen(role, PAGES["/"]) ? "/" : "/gallery";
}

export type NavSection = "composer" | "gallery" | "campaigns" | "settings" | "tokens";

const NAV: { section: NavSection; href: PagePath; label: string }[] = [
  { section: "composer", href: "/", label: "Composer" },
  { section: "gallery", href: "/gallery", label: "Gallery" },
  { section: "campaigns", href: "/campaigns", label: "Campaigns" },
  { section: "settings", href: "/settings", label: "Settings" },
  { section: "tokens", href: "/settings/tokens", label: "Access tokens" },
];

/** The header's links: only the pages this role may open. */
export function navFor(role: Role) {
  return NAV.filter((link) => mayOpen(role, PAGES[link.href]));
}

/** Whether `pathname` is the page `pattern`, where a `:name` segment stands for any one segment. */
function matches(pattern: string, pathname: string): boolean {
  const want = pattern.split("/");
  const have = pathname.split("/");
  return (
    want.length === have.length &&
    want.every((part, i) => (part.startsWith(":") ? have[i] !== "" : part === have[i]))
  );
}

function pageOf(path: string): PagePath | undefined {
  const pathname = new URL(path, "http://backdrop.invalid").pathname.replace(/(.)\/+$/, "$1");
  return (Object.keys(PAGES) as PagePath[]).find((page) => matches(page, pathname));
}

/**
 * Where someone lands after signing in: `next` (a same-origin path, already checked) when it is a
 * page their role may open, and otherwise their home, so a viewer who signed in from the composer's
 * address lands on the gallery, not on a refusal.
 */
export function landingFor(role: Role, next: string | undefined): string {
  const page = next ? pageOf(next) : undefined;
  if (!next || !page || page === "/sign-in" || !mayOpen(role, PAGES[page])) return homeFor(role);
  return next;
}
