// Pieces the queue messages share. Messages carry references to bucket objects, never
// file contents.
import { z } from "zod";

export const environment = z.enum(["live", "training"]);
export type Environment = z.infer<typeof environment>;

export const emailAddress = z.email();

/** The logical buckets of the system; the physical name adds the deployment prefix. */
export const BUCKETS = ["queuefiles", "emailattachments", "reports", "images", "rawmail"] as const;

/** A logical bucket name and a key. */
export const bucketRef = z.object({
  bucket: z.enum(BUCKETS),
  key: z.string().min(1).max(1024),
});
export type BucketRef = z.infer<typeof bucketRef>;

export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "a lower-case hex SHA-256");

/** A key that makes handling idempotent: derived from the inbound item, never random. */
export const idempotencyKey = z.string().min(1).max(512);
