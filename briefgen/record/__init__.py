"""Stage 1, the record: its schema, the strict loader, and the segments (with stable ids) it is cut into."""
