/** Images into storage from the browser: a file upload or a URL the server fetches. */
import { uploadedImage, type UploadedImage } from "@/lib/scene/generation";

import { request } from "./request";

export function uploadFile(file: Blob): Promise<UploadedImage> {
  const form = new FormData();
  form.append("file", file);
  return request("/api/uploads", uploadedImage, { method: "POST", body: form });
}

export function importUrl(url: string): Promise<UploadedImage> {
  return request("/api/imports", uploadedImage, { json: { url } });
}
