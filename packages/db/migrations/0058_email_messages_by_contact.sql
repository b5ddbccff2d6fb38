-- Every message of a contact, whatever its status: deleting a contact clears its messages'
-- contact, address and subject, and its key's `on delete set null` looks them up too. The
-- partial index of 0053 holds only sent messages, so both read the whole table.
create index email_messages_contact on email_messages (contact_id);
