/** Channel exports from the browser: each file's checks, and the zip itself saved as a download. */
import { exportCheckAnswer, type ExportBody, type ExportCheckAnswer } from "@/lib/scene/export";

import { ApiFailure, envelopeOf, request } from "./request";

export async function fetchExportChecks(body: ExportBody, signal?: AbortSignal): Promise<ExportCheckAnswer> {
  return request("/api/exports/check", exportCheckAnswer, { json: body, ...(signal ? { signal } : {}) });
}

function filenameOf(disposition: string | null): string {
  const match = disposition ? /filename="([^"]+)"/.exec(disposition) : null;
  return match?.[1] ?? "backdrop-export.zip";
}

/**
 * The export zip, saved under the name the server gives it. The answer is a POST's (the body names
 * the images and presets), so it is read whole and handed to the browser as a file.
 */
export async function downloadExport(body: ExportBody): Promise<{ filename: string; bytes: number }> {
  let response: Response;
  try {
    response = await fetch("/api/exports", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/zip, application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiFailure(0, {
      error_code: "network_error",
      error_type: "general",
      error_message: "Could not reach the server. Check your connection and try again.",
    });
  }
  if (!response.ok) {
    const parsed: unknown = await response.json().catch(() => undefined);
    throw new ApiFailure(response.status, envelopeOf(response.status, response.statusText, parsed));
  }
  const blob = await response.blob();
  const filename = filenameOf(response.headers.get("content-disposition"));
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has started saving it; the object URL can go once this turn is over.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { filename, bytes: blob.size };
}
