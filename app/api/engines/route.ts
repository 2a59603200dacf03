import { engineAvailability, getConfig } from "@/lib/server/config";
import { otherMethods } from "@/lib/server/http/methods";
import { json } from "@/lib/server/http/respond";
import { route } from "@/lib/server/http/route";

export const dynamic = "force-dynamic";

// GET /api/engines – which engines this server can run, the default, and what an edit on Claid costs
export const GET = route({ access: "viewer" }, async () => {
  const config = getConfig();
  return json({
    default: config.DEFAULT_ENGINE,
    available: engineAvailability(config),
    imageEditUnits: config.CLAID_IMAGE_EDIT_UNITS,
  });
});

export const { HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = otherMethods({ GET });
