"""The supervisor's live floor pages (the floor's socket is chats.consumers / chats.floor)."""
