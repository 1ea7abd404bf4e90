-- A CDR's receipt is the owner's acknowledgement in partner_objects (module 'cdrs', snapshot
-- { "location": <the Location header> }). Before a CDR is POSTed, the node asks whether ANY partner
-- acknowledged it (a partner that re-registers is a new row, and must not be billed twice): this
-- index answers that by object key. Partial, so location and tariff acknowledgements pay nothing for it.
CREATE INDEX "partner_objects_cdr_receipts" ON "partner_objects"("object_key") WHERE "module" = 'cdrs';
