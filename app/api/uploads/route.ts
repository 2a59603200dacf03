import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";
import { receiveUpload } from "@/lib/server/images/upload";

export const runtime = "nodejs";

export const POST = route(async ({ request }) => json(await receiveUpload(request), { status: 201 }));
