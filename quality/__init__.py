"""Quality the agency proves to each client: transcripts emailed to visitors, NPS surveys,
CSAT and NPS figures for the portal, the API and analytics."""
