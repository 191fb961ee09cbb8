"""The supervisor's live floor: its pages and its socket (`/ws/floor/`)."""
