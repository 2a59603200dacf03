"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

import { Button } from "@/components/ui/button";
import { signOut as endSession } from "@/lib/client/session";

export function SignOutButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  async function signOut() {
    setBusy(true);
    await endSession().catch(() => undefined);
    router.replace("/sign-in");
    router.refresh();
  }
  return (
    <Button variant="ghost" size="sm" onClick={signOut} disabled={busy}>
      Sign out
    </Button>
  );
}
