-- The ledger kinds every way money moves in issue 8 needs (V13), declared once so that the migrations of
-- its parts (card refunds and disputes, USDC purchases, expiry) do not each redefine these constraints.
--
-- System accounts: 'crypto_purchases' is where a USDC payment's money comes from (as 'stripe_purchases'
-- is for cards); 'disputed_funds' holds credits a card dispute took back until it is closed;
-- 'expired_credits' receives credits that expired.
-- Transaction kinds: a refund of unused credits ('refund'), a dispute opened, won and lost ('dispute',
-- 'dispute_release', 'dispute_loss'), an expiry ('expiry') and the reversal of a purchase whose payment
-- disappeared (a chain reorganisation after confirmation, 'reversal').

ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check;
ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
    CHECK (kind IN ('org_credits', 'operator_grants', 'inference_usage', 'stripe_purchases', 'payment_fees',
                    'crypto_purchases', 'disputed_funds', 'expired_credits'));
INSERT INTO ledger_accounts (org_id, kind)
VALUES (NULL, 'crypto_purchases'), (NULL, 'disputed_funds'), (NULL, 'expired_credits');

ALTER TABLE ledger_transactions DROP CONSTRAINT ledger_transactions_kind_check;
ALTER TABLE ledger_transactions ADD CONSTRAINT ledger_transactions_kind_check
    CHECK (kind IN ('grant', 'usage', 'purchase', 'refund', 'dispute', 'dispute_release', 'dispute_loss',
                    'expiry', 'reversal'));
