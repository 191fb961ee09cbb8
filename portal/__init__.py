"""The client portal: escalations and reports (views), the dashboard and conversation list
(dashboard), briefing/report settings and preferences (settings_views, settings_forms, services)."""
