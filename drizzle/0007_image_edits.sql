ALTER TABLE "generations" ADD COLUMN "kind" text DEFAULT 'scene' NOT NULL;--> statement-breakpoint
ALTER TABLE "generations" ADD COLUMN "request_text" text;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "derived_from" text;--> statement-breakpoint
ALTER TABLE "uploads" ADD COLUMN "generation_id" text;--> statement-breakpoint
ALTER TABLE "generations" ADD CONSTRAINT "generations_kind_check" CHECK ("generations"."kind" in ('scene', 'image_edit'));