// Pieces the queue messages share. Messages carry references to bucket objects, never
// file contents.
import { z } from "zod";

export const environment = z.enum(["live", "training"]);
export type Environment = z.infer<typeof environment>;

export const emailAddress = z.email();

/** A logical bucket name (the physical name adds the deployment prefix) and a key. */
export const bucketRef = z.object({
  bucket: z.enum(["queuefiles", "emailattachments", "reports", "images", "rawmail"]),
  key: z.string().min(1).max(1024),
});
export type BucketRef = z.infer<typeof bucketRef>;

export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "a lower-case hex SHA-256");

/** A key that makes handling idempotent: derived from the inbound item, never random. */
export const idempotencyKey = z.string().min(1).max(512);
