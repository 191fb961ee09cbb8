"""A visitor's data across every feature: export, erasure, retention, and masking stored card numbers."""
