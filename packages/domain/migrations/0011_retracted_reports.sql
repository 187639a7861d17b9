-- Up Migration
-- `H` withdraws the sender's last report: its message is marked 'retracted' (the message
-- itself stays, as received) and the rows it created are soft-deleted.
ALTER TABLE inbound_messages DROP CONSTRAINT inbound_messages_status_check;
ALTER TABLE inbound_messages ADD CONSTRAINT inbound_messages_status_check CHECK (
  status IN ('received', 'accepted', 'rejected', 'duplicate', 'unregistered', 'ignored', 'failed', 'retracted')
);

-- Down Migration
UPDATE inbound_messages SET status = 'accepted' WHERE status = 'retracted';
ALTER TABLE inbound_messages DROP CONSTRAINT inbound_messages_status_check;
ALTER TABLE inbound_messages ADD CONSTRAINT inbound_messages_status_check CHECK (
  status IN ('received', 'accepted', 'rejected', 'duplicate', 'unregistered', 'ignored', 'failed')
);
