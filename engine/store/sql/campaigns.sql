-- name: save-campaign
INSERT INTO campaigns (id, name, segment, template, subject, from_address, launched_at)
VALUES (:id, :name, :segment, :template, :subject, :from_address, :launched_at)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, segment = excluded.segment,
  template = excluded.template, subject = excluded.subject, from_address = excluded.from_address;
