-- Registry search at scale: a trigram index over the folded search text, so a substring query
-- ("ахмет", "akhmet", the last digits of an IIN) reads the few matching rows instead of scanning
-- the table. An external-content FTS5 table (the text stays only in persons), kept in step by
-- triggers. The list still applies the same LIKE to the candidates, so both backends agree.
CREATE VIRTUAL TABLE persons_search USING fts5(
    search_text,
    content = 'persons',
    content_rowid = 'rowid',
    tokenize = 'trigram'
);
INSERT INTO persons_search (persons_search) VALUES ('rebuild');
CREATE TRIGGER persons_search_insert AFTER INSERT ON persons BEGIN
    INSERT INTO persons_search (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
CREATE TRIGGER persons_search_delete AFTER DELETE ON persons BEGIN
    INSERT INTO persons_search (persons_search, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
END;
CREATE TRIGGER persons_search_update AFTER UPDATE OF search_text ON persons BEGIN
    INSERT INTO persons_search (persons_search, rowid, search_text)
        VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO persons_search (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
-- Filters without a district (tier and kind, sorted by district or name) narrow by this index.
CREATE INDEX persons_kind_tier ON persons (supervision_kind, risk_tier, district_id, last_name, id);
-- Sorting by risk tier (high, medium, low: not alphabetical) walks this index, whose expression
-- is the list's ORDER BY word for word.
CREATE INDEX persons_tier_rank ON persons (
    (CASE risk_tier WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END), last_name, id
);
