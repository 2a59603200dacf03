import { sql } from "drizzle-orm";
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

import type { CampaignItemAxes, CampaignPlan } from "../../../scene/campaign";
import type { Scene } from "../../../scene/contract";
// Relative, not "@/…": drizzle-kit loads schema files without the app's path aliases.
import { ENGINES } from "../../../scene/vocabulary";
import { generationOutputs, generations } from "./generations";

const at = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });

/** A named set of generations made from one base request and its axes (see lib/scene/campaign.ts). */
export const campaigns = pgTable(
  "campaigns",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    engine: text("engine", { enum: ENGINES }).notNull(),
    /** The plan as it was accepted: base request, axes, reroll. Items are its cartesian product. */
    plan: jsonb("plan").$type<CampaignPlan>().notNull(),
    itemCount: integer("item_count").notNull(),
    createdBy: text("created_by"),
    createdByName: text("created_by_name"),
    createdAt: at("created_at").notNull().defaultNow(),
    /** Set by cancel: queued items were cancelled then; running ones finished and were kept. */
    cancelledAt: at("cancelled_at"),
  },
  (t) => [index("campaigns_newest_idx").on(t.createdAt.desc(), t.id.desc())],
);

/**
 * One cell of the matrix: its axis values and the generation that makes it. A retry points the item
 * at a new generation; the failed one stays in the gallery as it ended.
 */
export const campaignItems = pgTable(
  "campaign_items",
  {
    campaignId: text("campaign_id")
      .notNull()
      .references(() => campaigns.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    axes: jsonb("axes").$type<CampaignItemAxes>().notNull(),
    /** Null once its generation was deleted from the gallery. */
    generationId: text("generation_id").references(() => generations.id, { onDelete: "set null" }),
    attempts: integer("attempts").notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.position] }),
    uniqueIndex("campaign_items_generation_idx").on(t.generationId),
  ],
);

/**
 * Verdicts on outputs, never updated or deleted one by one: the latest is the output's verdict, the
 * rest its audit trail (who decided what, when, and why).
 */
export const outputReviews = pgTable(
  "output_reviews",
  {
    id: text("id").primaryKey(),
    outputId: text("output_id")
      .notNull()
      .references(() => generationOutputs.id, { onDelete: "cascade" }),
    generationId: text("generation_id").notNull(),
    verdict: text("verdict", { enum: ["approved", "rejected"] }).notNull(),
    note: text("note"),
    reviewerId: text("reviewer_id"),
    reviewerName: text("reviewer_name"),
    // Microseconds: two verdicts in one millisecond still read in the order they were given.
    createdAt: timestamp("created_at", { withTimezone: true, precision: 6 })
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (t) => [
    check("output_reviews_verdict_check", sql`${t.verdict} in ('approved', 'rejected')`),
    index("output_reviews_output_idx").on(t.outputId, t.createdAt.desc()),
    index("output_reviews_generation_idx").on(t.generationId),
  ],
);

/** A scene with its options, saved by name for the team: reused in the composer and in campaigns. */
export const scenePresets = pgTable(
  "scene_presets",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    scene: jsonb("scene").$type<Scene>().notNull(),
    createdBy: text("created_by"),
    createdByName: text("created_by_name"),
    createdAt: at("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("scene_presets_name_idx").on(sql`lower(${t.name})`)],
);
