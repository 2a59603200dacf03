import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

// GET /api/health – liveness for load balancers and the test runner
export const GET = route({ access: "public" }, async () => json({ ok: true }));

export const { HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
