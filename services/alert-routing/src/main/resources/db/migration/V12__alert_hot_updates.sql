-- A busy alert is counted again many times a second (repeat count, last seen, severity, summary,
-- evidence), none of them indexed. Room left on each page lets PostgreSQL update such a row in
-- place (a HOT update) instead of writing a new entry in each of the table's ten indexes.
ALTER TABLE alert SET (fillfactor = 70);
