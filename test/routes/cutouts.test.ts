import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { POST } from "@/app/api/cutouts/route";
import { cutoutAnswer } from "@/lib/scene/cutout";
import { getDatabase } from "@/lib/server/db/client";
import { uploads } from "@/lib/server/db/schema/uploads";
import { generations } from "@/lib/server/generations";
import { intakeImage } from "@/lib/server/images/intake";
import { EDIT_PATH, startClaidStandin, UPLOAD_PATH, type ClaidStandin } from "@/test/support/claid-standin";

import { BOX_PHOTO, boxOnWhiteJpeg } from "../engines/local/edit/harness";
import { STANDIN_CLAID, TEST_CLAID_KEY, testConfig } from "../support/config";
import { memberToken } from "../support/member-token";
import { BUSY_BACKGROUNDS, busyPhoto } from "../support/photos/busy-photos";

const ORIGIN = "http://127.0.0.1:3997";
let standin: ClaidStandin;
let token: string;
let photoUrl: string;

function env() {
  return testConfig({
    ...STANDIN_CLAID,
    PORT: new URL(ORIGIN).port,
    CLAID_API_BASE_URL: standin.url,
    DEFAULT_ENGINE: "local",
    RATE_LIMIT_CLAID_PER_MINUTE: "10000",
    RATE_LIMIT_LOCAL_PER_MINUTE: "10000",
    DAILY_CLAID_IMAGE_BUDGET: "100000",
  });
}

beforeAll(async () => {
  standin = await startClaidStandin({ apiKey: TEST_CLAID_KEY });
  token = await memberToken(env());
  photoUrl = (await intakeImage(await boxOnWhiteJpeg())).url;
}, 180_000);
afterAll(async () => {
  await standin.close();
});
afterEach(() => standin.reset());

function post(body: unknown) {
  return POST(
    new Request(`${ORIGIN}/api/cutouts`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    }),
  );
}

describe("POST /api/cutouts", () => {
  it("cuts a photo on white out for free, as a new upload linked to the original, boxed on the cutout", async () => {
    const response = await post({ image_url: photoUrl, engine: "local" });
    expect(response.status).toBe(201);
    const cutout = cutoutAnswer.parse(await response.json());
    expect(cutout).toMatchObject({ derivedFrom: photoUrl, engine: "local", hasAlpha: true, format: "png" });
    expect(cutout.url).not.toBe(photoUrl);
    const { box } = BOX_PHOTO;
    for (const side of ["x", "y", "width", "height"] as const) {
      expect(Math.abs(cutout.objectBox[side] - box[side])).toBeLessThanOrEqual(2);
    }
    const { db } = await getDatabase(env());
    const [row] = await db.select().from(uploads).where(eq(uploads.key, cutout.key));
    expect(row).toMatchObject({
      derivedFrom: photoUrl.slice("backdrop://files/".length),
      generationId: cutout.generationId,
    });
    expect(await generations.get(cutout.generationId)).toMatchObject({ kind: "image_edit", engine: "local" });
    expect(standin.calls).toHaveLength(0);
  });

  it("asks Claid when told to, and measures the box on what Claid made", async () => {
    env();
    const response = await post({ image_url: photoUrl, engine: "claid" });
    expect(response.status).toBe(201);
    const cutout = cutoutAnswer.parse(await response.json());
    expect(cutout.engine).toBe("claid");
    expect(standin.callsTo(UPLOAD_PATH)).toHaveLength(1);
    expect(standin.callsTo(EDIT_PATH)[0]?.body).toMatchObject({
      operations: { background: { remove: true, color: "transparent" } },
    });
    // The stand-in's cutout is an opaque square half its size, in the middle.
    expect(cutout.objectBox).toEqual({
      x: Math.floor(cutout.width / 4),
      y: Math.floor(cutout.height / 4),
      width: cutout.width / 2,
      height: cutout.height / 2,
    });
  });

  it("says plainly when the free cutout cannot do a busy background, and points at Claid", async () => {
    const busy = await intakeImage(await busyPhoto(Object.keys(BUSY_BACKGROUNDS)[0]!));
    const response = await post({ image_url: busy.url, engine: "local" });
    expect(response.status).toBe(422);
    const body = (await response.json()) as {
      error_code: string;
      error_message: string;
      error_details: object;
    };
    expect(body.error_code).toBe("background_not_removable");
    expect(body.error_message).toMatch(/Claid/);
    expect(body.error_details).toMatchObject({ reason: "busy", alternative_engine: "claid" });
  });

  it("takes only images held here", async () => {
    const response = await post({ image_url: "https://images.example.com/a.png" });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      error_details: { fields: { image_url: [expect.any(String)] } },
    });
  });
});
