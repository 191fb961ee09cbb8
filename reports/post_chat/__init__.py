"""After a chat: the post-chat report (services) and the scheduled emails about it: reminders of
unacknowledged escalations, daily digests, weekly feedback (digests)."""
