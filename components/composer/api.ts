/** The server calls the composer makes outside its lazily loaded panels; see api-loader.ts. */
export { fetchGeneration } from "@/lib/client/generations";
export { importUrl, uploadFile } from "@/lib/client/images";
export { removeBackground } from "@/lib/client/cutouts";
