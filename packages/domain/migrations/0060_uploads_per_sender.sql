-- Up Migration
-- An upload is the same upload only when the same user sends the same file for the same
-- template again. Two users filling a blank template the same way (nothing to report this
-- month, say) send identical bytes, and each must be imported and answered for themselves.

ALTER TABLE uploads DROP CONSTRAINT uploads_content_sha256_key;
CREATE UNIQUE INDEX uploads_sender_file ON uploads (user_id, content_sha256, template_code) NULLS NOT DISTINCT;

-- Down Migration
DROP INDEX uploads_sender_file;
ALTER TABLE uploads ADD CONSTRAINT uploads_content_sha256_key UNIQUE (content_sha256);
