-- Stripe's payment_intent.succeeded / payment_intent.payment_failed events about an auto top-up's
-- off-session payment (V17) settle that top-up: an event row now names either a checkout or an auto
-- top-up (or neither, for an event about nothing of ours), and the decline it recorded has an outcome.

ALTER TABLE stripe_webhook_events ADD COLUMN auto_top_up_id uuid REFERENCES auto_top_ups (id);

-- V12's unnamed check that an event has an organization exactly when it names a checkout
ALTER TABLE stripe_webhook_events DROP CONSTRAINT stripe_webhook_events_check;
ALTER TABLE stripe_webhook_events ADD CONSTRAINT stripe_webhook_events_subject_check
    CHECK ((org_id IS NULL) = (checkout_id IS NULL AND auto_top_up_id IS NULL)
           AND (checkout_id IS NULL OR auto_top_up_id IS NULL));

ALTER TABLE stripe_webhook_events DROP CONSTRAINT stripe_webhook_events_outcome_check;
ALTER TABLE stripe_webhook_events ADD CONSTRAINT stripe_webhook_events_outcome_check
    CHECK (outcome IN ('credited', 'already_credited', 'not_paid', 'unknown_session', 'amount_mismatch',
                       'ignored', 'refunded', 'dispute_opened', 'dispute_closed', 'declined',
                       'already_declined'));

CREATE INDEX stripe_webhook_events_auto_top_up ON stripe_webhook_events (auto_top_up_id)
    WHERE auto_top_up_id IS NOT NULL;
