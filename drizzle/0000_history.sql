CREATE TABLE "file_claims" (
	"generation_id" text NOT NULL,
	"file_key" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "file_claims_generation_id_file_key_pk" PRIMARY KEY("generation_id","file_key")
);
--> statement-breakpoint
CREATE TABLE "generation_outputs" (
	"id" text PRIMARY KEY NOT NULL,
	"generation_id" text NOT NULL,
	"index" integer NOT NULL,
	"file_key" text,
	"format" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"info" jsonb NOT NULL,
	"upstream_url" text,
	"upstream_expires_at" timestamp (3) with time zone,
	"destination" text
);
--> statement-breakpoint
CREATE TABLE "generations" (
	"id" text PRIMARY KEY NOT NULL,
	"created_by" text,
	"created_by_name" text,
	"engine" text NOT NULL,
	"request" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone,
	"timings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"upstream_request_id" text,
	"error" jsonb,
	"error_status" integer,
	"input_info" jsonb,
	"favorite" boolean DEFAULT false NOT NULL,
	"prompt_text" text DEFAULT '' NOT NULL,
	"aspect_ratio" text,
	"worker_id" text,
	"heartbeat_at" timestamp (3) with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "generations_status_check" CHECK ("generations"."status" in ('queued', 'running', 'succeeded', 'failed', 'interrupted'))
);
--> statement-breakpoint
CREATE TABLE "thumbnails" (
	"source_key" text PRIMARY KEY NOT NULL,
	"thumb_key" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "uploads" (
	"key" text PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"size" integer NOT NULL,
	"format" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"has_alpha" boolean NOT NULL,
	"object_box" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "file_claims" ADD CONSTRAINT "file_claims_generation_id_generations_id_fk" FOREIGN KEY ("generation_id") REFERENCES "public"."generations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generation_outputs" ADD CONSTRAINT "generation_outputs_generation_id_generations_id_fk" FOREIGN KEY ("generation_id") REFERENCES "public"."generations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "file_claims_file_key_idx" ON "file_claims" USING btree ("file_key");--> statement-breakpoint
CREATE UNIQUE INDEX "generation_outputs_generation_index_idx" ON "generation_outputs" USING btree ("generation_id","index");--> statement-breakpoint
CREATE INDEX "generation_outputs_file_key_idx" ON "generation_outputs" USING btree ("file_key");--> statement-breakpoint
CREATE INDEX "generations_newest_idx" ON "generations" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "generations_creator_newest_idx" ON "generations" USING btree ("created_by","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "generations_engine_newest_idx" ON "generations" USING btree ("engine","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "generations_status_newest_idx" ON "generations" USING btree ("status","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "generations_aspect_newest_idx" ON "generations" USING btree ("aspect_ratio","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "generations_favorite_newest_idx" ON "generations" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE "generations"."favorite";--> statement-breakpoint
CREATE INDEX "generations_queue_idx" ON "generations" USING btree ("created_at","id") WHERE "generations"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "generations_running_idx" ON "generations" USING btree ("heartbeat_at") WHERE "generations"."status" = 'running';--> statement-breakpoint
CREATE INDEX "thumbnails_thumb_key_idx" ON "thumbnails" USING btree ("thumb_key");--> statement-breakpoint
CREATE INDEX "uploads_created_at_idx" ON "uploads" USING btree ("created_at" DESC NULLS LAST);