-- Reserved for the connect crate (outbox, webhooks); empty until it lands.
SELECT 1;
