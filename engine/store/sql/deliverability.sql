-- The facts behind `report deliverability` (Database::LoadDeliveryFacts): outbox, events
-- and delivery_attention, per destination domain and account, within [:since, :until).
--
-- An address's account is its contact's account, else the account owning its domain
-- (account_domains), else ''. An event's domain is the lower-case part of its contact's
-- address after the last '@' (rtrim() strips back to that '@', as in migration 3).
-- :bucket is the bucket length in seconds (the whole window when there are none).

-- Per domain, account, provider and bucket: outbox messages by their last attempt, and
-- the sends of campaigns not launched here (imported history), which have no outbox row.
-- name: delivery-tallies
SELECT o.domain, coalesce(c.account_id, ad.account_id, ''), o.provider,
       (o.last_attempt_at - :since) / :bucket, count(*), sum(o.state = 'sent'),
       sum(o.state = 'deferred'), sum(o.state = 'failed')
FROM outbox o
LEFT JOIN contacts c ON c.id = o.contact_id
LEFT JOIN account_domains ad ON ad.domain = o.domain
WHERE o.last_attempt_at >= :since AND o.last_attempt_at < :until
GROUP BY 1, 2, 3, 4
UNION ALL
SELECT i.domain, coalesce(i.account_id, ad.account_id, ''), '', i.bucket,
       sum(i.type = 'sent'), sum(i.type = 'delivered'), 0, 0
FROM (SELECT lower(substr(c.email, length(rtrim(c.email, replace(c.email, '@', ''))) + 1))
               AS domain,
             c.account_id, e.type, (e.at - :since) / :bucket AS bucket
      FROM events e JOIN contacts c ON c.id = e.contact_id
      WHERE e.type IN ('sent', 'delivered') AND e.at >= :since AND e.at < :until
        AND e.campaign NOT IN (SELECT id FROM campaigns)) AS i
LEFT JOIN account_domains ad ON ad.domain = i.domain
GROUP BY 1, 2, 3, 4;

-- Messages refused at their last attempt in the window, and messages blocked by policy
-- at an attempt in the window (with the latest such block's reply and time), once each.
-- name: delivery-refused
WITH blocks AS (
  SELECT outbox_id, reply, max(at) AS at FROM delivery_attention
  WHERE at >= :since AND at < :until GROUP BY outbox_id),
refused AS (
  SELECT o.id, o.last_reply AS reply, o.last_attempt_at AS at, 0 AS policy_block
  FROM outbox o
  WHERE o.state IN ('failed', 'deferred') AND o.last_attempt_at >= :since
    AND o.last_attempt_at < :until AND o.id NOT IN (SELECT outbox_id FROM blocks)
  UNION ALL
  SELECT outbox_id, reply, at, 1 FROM blocks)
SELECT o.id, o.contact_id, o.domain, coalesce(c.account_id, ad.account_id, ''), o.provider,
       o.state, r.reply, r.at, r.policy_block
FROM refused r
JOIN outbox o ON o.id = r.id
LEFT JOIN contacts c ON c.id = o.contact_id
LEFT JOIN account_domains ad ON ad.domain = o.domain;

-- Bounces and complaints in the window, with the provider of the campaign's message to
-- the contact when it was queued here (outbox is unique on campaign and contact). The
-- bounce an attempt recorded itself (RecordAttempts: a synchronous hard bounce, at the
-- time its message failed) is left out: delivery-refused has that message already.
-- name: delivery-outcome-events
SELECT x.contact_id, x.domain, coalesce(x.account_id, ad.account_id, ''),
       coalesce((SELECT provider FROM outbox o
                 WHERE o.campaign = x.campaign AND o.contact_id = x.contact_id), ''),
       x.type, x.detail, x.at
FROM (SELECT e.contact_id, e.campaign, e.type, e.detail, e.at, c.account_id,
             lower(substr(c.email, length(rtrim(c.email, replace(c.email, '@', ''))) + 1))
               AS domain
      FROM events e JOIN contacts c ON c.id = e.contact_id
      WHERE e.type IN ('bounced', 'complained') AND e.at >= :since AND e.at < :until) AS x
LEFT JOIN account_domains ad ON ad.domain = x.domain
WHERE NOT (x.type = 'bounced'
           AND EXISTS (SELECT 1 FROM outbox o
                       WHERE o.campaign = x.campaign AND o.contact_id = x.contact_id
                         AND o.state = 'failed' AND o.last_attempt_at = x.at))
ORDER BY x.at, x.contact_id;

-- A read transaction, so that the three queries above read one snapshot.
-- name: begin-read
BEGIN;
