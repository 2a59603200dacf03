"use client";

import { useMutation } from "@tanstack/react-query";

import type { ExportBody } from "@/lib/scene/export";

import { downloadExport, fetchExportChecks } from "./exports";

/** Each file an export would make, with its checks (nothing is cached: the checks are asked for). */
export function useExportChecks() {
  return useMutation({ mutationFn: (body: ExportBody) => fetchExportChecks(body) });
}

/** Makes the export and saves its zip. */
export function useExportDownload() {
  return useMutation({ mutationFn: (body: ExportBody) => downloadExport(body) });
}
