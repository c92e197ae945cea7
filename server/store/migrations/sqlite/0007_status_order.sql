-- "Sort by status" for agents: the order of the portal statuses (what needs
-- the customer first), then the last update, from an index instead of a
-- sort of every ticket. The expression is exactly statusRank() in
-- tickets.go; TestStatusOrderIndex keeps the two the same.
CREATE INDEX tickets_status_order ON tickets (
    (CASE status WHEN 'waiting_external' THEN 0 WHEN 'new' THEN 1 WHEN 'open' THEN 1 WHEN 'waiting_internal' THEN 1 WHEN 'postponed' THEN 2 WHEN 'resolved' THEN 3 WHEN 'closed' THEN 3 ELSE 99 END),
    updated_at DESC, number DESC
);
