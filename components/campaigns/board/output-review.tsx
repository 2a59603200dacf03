"use client";

import { useState } from "react";

import { Button } from "@/components/ui/button";
import { failureMessage } from "@/lib/client/request";
import { useReviewOutput } from "@/lib/client/use-campaign";
import type { ReviewedOutput, Verdict } from "@/lib/scene/campaign";

const when = (iso: string) => new Date(iso).toLocaleString();

function VerdictBadge({ output }: { output: ReviewedOutput }) {
  const review = output.review;
  if (!review) return <span className="text-[11px] text-ink-muted">Not reviewed</span>;
  const tone =
    review.verdict === "approved" ? "bg-accent-soft text-accent-strong" : "bg-danger-soft text-danger";
  const trail = output.reviews
    .map(
      (r) =>
        `${r.verdict} by ${r.reviewer?.name ?? "someone"}, ${when(r.created_at)}${r.note ? `: ${r.note}` : ""}`,
    )
    .join("\n");
  return (
    <span className="flex flex-col gap-0.5 text-[11px]" title={trail}>
      <span data-verdict={review.verdict} className={`self-start rounded px-1.5 py-0.5 font-medium ${tone}`}>
        {review.verdict === "approved" ? "Approved" : "Rejected"}
      </span>
      <span className="text-ink-muted">
        {review.reviewer?.name ?? "someone"}, {when(review.created_at)}
        {output.reviews.length > 1 ? ` · ${output.reviews.length} verdicts` : ""}
      </span>
      {review.note ? <span className="text-ink-soft">“{review.note}”</span> : null}
    </span>
  );
}

/** One output on the board: its image, its verdict with who and when, and (for members) approve or reject with a note. */
export function OutputReview({
  campaignId,
  output,
  label,
  canReview,
}: {
  campaignId: string;
  output: ReviewedOutput;
  label: string;
  canReview: boolean;
}) {
  const review = useReviewOutput(campaignId);
  const [note, setNote] = useState("");
  const decide = (verdict: Verdict) =>
    review.mutate(
      { outputId: output.id, body: { verdict, ...(note.trim() ? { note: note.trim() } : {}) } },
      { onSuccess: () => setNote("") },
    );
  return (
    <figure
      data-testid="output-review"
      data-output-id={output.id}
      data-verdict={output.review?.verdict ?? "none"}
      className="flex w-40 flex-col gap-1 rounded-md border border-canvas-line bg-canvas-panel p-1.5"
    >
      <a
        href={output.url ?? undefined}
        target="_blank"
        rel="noreferrer"
        className="block aspect-square overflow-hidden rounded bg-canvas"
      >
        {output.thumbUrl ? (
          // Server-made thumbnails are already small webps.
          // eslint-disable-next-line @next/next/no-img-element
          <img src={output.thumbUrl} alt={label} loading="lazy" className="size-full object-contain" />
        ) : (
          <span className="flex size-full items-center justify-center text-[11px] text-ink-muted">
            No stored image
          </span>
        )}
      </a>
      <figcaption className="flex flex-col gap-1">
        <VerdictBadge output={output} />
        {canReview ? (
          <>
            <input
              aria-label={`Note for ${label}`}
              className="h-6 rounded border border-canvas-line px-1 text-[11px]"
              placeholder="Note (optional)"
              value={note}
              maxLength={1000}
              onChange={(event) => setNote(event.target.value)}
            />
            <div className="flex gap-1">
              <Button
                size="sm"
                onClick={() => decide("approved")}
                disabled={review.isPending}
                aria-label={`Approve ${label}`}
              >
                Approve
              </Button>
              <Button
                size="sm"
                onClick={() => decide("rejected")}
                disabled={review.isPending}
                aria-label={`Reject ${label}`}
              >
                Reject
              </Button>
            </div>
            {review.error ? (
              <span role="alert" className="text-[11px] text-danger">
                {failureMessage(review.error, "The verdict was not saved")}
              </span>
            ) : null}
          </>
        ) : null}
      </figcaption>
    </figure>
  );
}
