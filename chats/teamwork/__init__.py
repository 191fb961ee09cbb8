"""Working as a team: transfers, internal notes, tags, supervision (monitor, whisper, take-over)."""
