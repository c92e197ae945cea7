-- The expression is exactly statusRank() in list.go.
CREATE INDEX tickets_status_order ON tickets (
    (CASE status WHEN 'waiting_external' THEN 0 WHEN 'new' THEN 1 WHEN 'open' THEN 1 WHEN 'waiting_internal' THEN 1 WHEN 'postponed' THEN 2 WHEN 'resolved' THEN 3 WHEN 'closed' THEN 3 ELSE 99 END),
    updated_at DESC, number DESC
);
