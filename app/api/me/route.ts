import { engineAvailability, getConfig } from "@/lib/server/config";
import { appDatabase } from "@/lib/server/db/client";
import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";
import { budgetStatus } from "@/lib/server/limits/budget";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// GET /api/me – who is signed in, their role and today's claid budget (admins also see key status)
export const GET = route({ access: "viewer" }, async ({ principal: me }) => {
  const config = getConfig();
  return json({
    user: { id: me.userId, name: me.name, email: me.email, role: me.role },
    budget: await budgetStatus(await appDatabase(), me.userId, config),
    rateLimits: {
      claidPerMinute: config.RATE_LIMIT_CLAID_PER_MINUTE,
      localPerMinute: config.RATE_LIMIT_LOCAL_PER_MINUTE,
    },
    // Whether the key is set, never the key itself.
    ...(me.role === "admin" ? { claidKeyConfigured: engineAvailability(config).claid } : {}),
  });
});

export const { HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
