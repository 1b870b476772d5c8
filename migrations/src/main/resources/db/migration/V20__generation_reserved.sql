-- What each request reserved before it was sent (its worst case), beside what it cost: a request whose
-- provider reported more than the estimate allowed is billed in full, and the difference (its overage)
-- is what the reconciler and /metrics count. Rows written before this column are null (not known).
ALTER TABLE generations ADD COLUMN reserved_nanos bigint CHECK (reserved_nanos >= 0);
