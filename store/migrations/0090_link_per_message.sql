-- Every message carries a link of its own. A link stays valid until it
-- expires or the secretariat revokes its subject: a reminder or an extension
-- sent later never kills the link in an earlier message.
ALTER TABLE link DROP CONSTRAINT link_purpose_subject_recipient_key;
CREATE INDEX link_subject ON link (subject, recipient);
