"""REST API v1 of reports: escalations, post-chat reports and analytics (views, serializers)."""
