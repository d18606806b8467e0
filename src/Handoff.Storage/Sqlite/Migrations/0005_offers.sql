-- Handoff schema, version 5: offers. When the next offer-related thing falls due for an open case — its ringing offer
-- lapsing, or its live wait ending — so the routing worker finds due cases through an index instead of reading every
-- case. NULL for closed cases and cases with nothing ringing.
ALTER TABLE cases ADD COLUMN offer_due_at TEXT;

CREATE INDEX ix_cases_offer_due ON cases (offer_due_at) WHERE offer_due_at IS NOT NULL;
