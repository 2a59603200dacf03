CREATE TABLE "campaign_items" (
	"campaign_id" text NOT NULL,
	"position" integer NOT NULL,
	"axes" jsonb NOT NULL,
	"generation_id" text,
	"attempts" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "campaign_items_campaign_id_position_pk" PRIMARY KEY("campaign_id","position")
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"engine" text NOT NULL,
	"plan" jsonb NOT NULL,
	"item_count" integer NOT NULL,
	"created_by" text,
	"created_by_name" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "output_reviews" (
	"id" text PRIMARY KEY NOT NULL,
	"output_id" text NOT NULL,
	"generation_id" text NOT NULL,
	"verdict" text NOT NULL,
	"note" text,
	"reviewer_id" text,
	"reviewer_name" text,
	"created_at" timestamp (6) with time zone DEFAULT clock_timestamp() NOT NULL,
	CONSTRAINT "output_reviews_verdict_check" CHECK ("output_reviews"."verdict" in ('approved', 'rejected'))
);
--> statement-breakpoint
CREATE TABLE "scene_presets" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"scene" jsonb NOT NULL,
	"created_by" text,
	"created_by_name" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "upstream_pace" (
	"upstream" text PRIMARY KEY NOT NULL,
	"blocked_until" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "upstream_slots" (
	"id" text PRIMARY KEY NOT NULL,
	"upstream" text NOT NULL,
	"at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
DROP INDEX "generations_queue_idx";--> statement-breakpoint
ALTER TABLE "generations" ADD COLUMN "priority" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "generations" ADD COLUMN "request_key" text;--> statement-breakpoint
ALTER TABLE "generations" ADD COLUMN "reused_from" text;--> statement-breakpoint
ALTER TABLE "generations" ADD COLUMN "upstream_sent_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "campaign_items" ADD CONSTRAINT "campaign_items_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_items" ADD CONSTRAINT "campaign_items_generation_id_generations_id_fk" FOREIGN KEY ("generation_id") REFERENCES "public"."generations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "output_reviews" ADD CONSTRAINT "output_reviews_output_id_generation_outputs_id_fk" FOREIGN KEY ("output_id") REFERENCES "public"."generation_outputs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_items_generation_idx" ON "campaign_items" USING btree ("generation_id");--> statement-breakpoint
CREATE INDEX "campaigns_newest_idx" ON "campaigns" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "output_reviews_output_idx" ON "output_reviews" USING btree ("output_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "output_reviews_generation_idx" ON "output_reviews" USING btree ("generation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "scene_presets_name_idx" ON "scene_presets" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "upstream_slots_upstream_at_idx" ON "upstream_slots" USING btree ("upstream","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "generations_reusable_idx" ON "generations" USING btree ("request_key","finished_at" DESC NULLS LAST) WHERE "generations"."status" = 'succeeded';--> statement-breakpoint
CREATE INDEX "generations_queue_idx" ON "generations" USING btree ("priority","created_at","id") WHERE "generations"."status" = 'queued';