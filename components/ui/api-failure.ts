import type { HttpErrorDetails } from "@/lib/scene/contract";

/**
 * A failed call to our own API, carrying the server's (or the upstream's) error envelope. Apart from
 * the fetch helper so that checking for one does not load the schemas that helper validates with.
 */
export class ApiFailure extends Error {
  override name = "ApiFailure";
  constructor(
    readonly status: number,
    readonly details: HttpErrorDetails,
  ) {
    super(details.error_message);
  }
}
