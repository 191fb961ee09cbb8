"""Full-text search over messages: `selectors` (the query: PostgreSQL full-text search, a substring on
SQLite), `api` (`/api/v1/messages/search/`) and `console` (the console's history search)."""
