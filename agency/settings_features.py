"""The settings of Relevo's own features, each under its feature's header: what an operator
may tune (agency/settings.py imports them all; read them as `django.conf.settings.NAME`).
Every value is read with a typed reader of agency/settings_env.py.
"""

from django.core.exceptions import ImproperlyConfigured

from agency.settings_env import env_bool, env_float, env_int, env_json

# --- Chat messages and sockets (an operator may tune these) -------------------------
# The longest text a person may write: chat messages, offline messages, escalations, answers and feedback.
# The widget (its config endpoint) and the console (a data attribute) read it from here.
CHAT_MAX_BODY_CHARS = env_int("CHAT_MAX_BODY_CHARS", 4000)
CHAT_MAX_FRAME_BYTES = env_int("CHAT_MAX_FRAME_BYTES", 16384)
# Frames (messages, typing…) per socket: a steady rate per minute and a burst.
CHAT_VISITOR_FRAMES_PER_MINUTE = env_int("CHAT_VISITOR_FRAMES_PER_MINUTE", 100)
CHAT_VISITOR_FRAME_BURST = env_int("CHAT_VISITOR_FRAME_BURST", 20)
CHAT_AGENT_FRAMES_PER_MINUTE = env_int("CHAT_AGENT_FRAMES_PER_MINUTE", 600)
CHAT_AGENT_FRAME_BURST = env_int("CHAT_AGENT_FRAME_BURST", 60)
CHAT_MAX_SOCKETS_PER_CONVERSATION = env_int("CHAT_MAX_SOCKETS_PER_CONVERSATION", 5)
CHAT_DEFAULT_MAX_CONCURRENT = 3

# --- Visitor floods (hourly, counted in core.limits across processes) ----------------
# New conversations per visitor IP per hour, and per widget key per hour.
CHAT_CONVERSATIONS_PER_IP_PER_HOUR = env_int("CHAT_CONVERSATIONS_PER_IP_PER_HOUR", 20)
CHAT_CONVERSATIONS_PER_WIDGET_PER_HOUR = env_int("CHAT_CONVERSATIONS_PER_WIDGET_PER_HOUR", 5000)
# Offline-form messages per visitor IP per hour, and per widget key per hour.
CHAT_OFFLINE_MESSAGES_PER_IP_PER_HOUR = env_int("CHAT_OFFLINE_MESSAGES_PER_IP_PER_HOUR", 10)
CHAT_OFFLINE_MESSAGES_PER_WIDGET_PER_HOUR = env_int("CHAT_OFFLINE_MESSAGES_PER_WIDGET_PER_HOUR", 1000)

# --- Routing, the queue and the chat sweeps ---------------------------------------------
# An active chat whose visitor has had no socket this long is closed (and reported).
CHAT_VISITOR_IDLE_CLOSE_SECONDS = env_int("CHAT_VISITOR_IDLE_CLOSE_SECONDS", 600)
# A chat whose visitor socket has not connected this long after it was created is
# deleted (never routed, never counted); the sweep runs every 10 s.
CHAT_VISITOR_CONNECT_SECONDS = env_int("CHAT_VISITOR_CONNECT_SECONDS", 20)
# A queued visitor with no socket for this long has left: the chat is missed.
CHAT_VISITOR_ABANDON_SECONDS = env_int("CHAT_VISITOR_ABANDON_SECONDS", 90)
# The honest queue's estimate (chats.waiting): recent chats averaged, and the handle time assumed without any.
CHAT_WAIT_HANDLE_SAMPLE = env_int("CHAT_WAIT_HANDLE_SAMPLE", 20)
CHAT_WAIT_DEFAULT_HANDLE_SECONDS = env_int("CHAT_WAIT_DEFAULT_HANDLE_SECONDS", 300)
# An online agent whose console has not pinged for this long gets no new chats.
CHAT_AGENT_STALE_SECONDS = env_int("CHAT_AGENT_STALE_SECONDS", 90)
# The chat sweeps (abandoned, unconnected) handle this many chats per transaction and announce
# places in line once per client; at most one of each sweep is queued or running, for at most
# SWEEP_CLAIM_SECONDS (a killed worker's claim expires).
CHAT_SWEEP_BATCH = env_int("CHAT_SWEEP_BATCH", 200)
SWEEP_CLAIM_SECONDS = env_int("SWEEP_CLAIM_SECONDS", 300)

# --- Calls and callbacks (chats.calls) ---------------------------------------------------
# STUN/TURN servers for both browsers, a JSON list of RTCIceServer
# ({"urls": …, "username": …, "credential": …}); none by default (host candidates only).
CHAT_ICE_SERVERS = env_json("CHAT_ICE_SERVERS", "[]")
if not isinstance(CHAT_ICE_SERVERS, list) or not all(isinstance(s, dict) and "urls" in s for s in CHAT_ICE_SERVERS):
    raise ImproperlyConfigured('CHAT_ICE_SERVERS must be a JSON list of {"urls": …} objects.')
# Call frames per socket (offer, answer, SDP, ICE candidates come in bursts): their own budget.
CHAT_CALL_FRAMES_PER_MINUTE = env_int("CHAT_CALL_FRAMES_PER_MINUTE", 300)
CHAT_CALL_FRAME_BURST = env_int("CHAT_CALL_FRAME_BURST", 60)
# Callback requests: how far ahead a visitor may choose, and how long before it the handlers are reminded.
CHAT_CALLBACK_MAX_DAYS_AHEAD = env_int("CHAT_CALLBACK_MAX_DAYS_AHEAD", 14)
CHAT_CALLBACK_REMIND_MINUTES = env_int("CHAT_CALLBACK_REMIND_MINUTES", 15)

# --- Live visits (/ws/visit/, chats.visits) ----------------------------------------------
# Rows are written in batches, never once per heartbeat (chats.visits.live).
VISIT_FLUSH_SECONDS = env_float("VISIT_FLUSH_SECONDS", 5)
VISIT_LAST_SEEN_EVERY_SECONDS = env_int("VISIT_LAST_SEEN_EVERY_SECONDS", 60)
VISIT_MAX_BATCH = env_int("VISIT_MAX_BATCH", 2000)
VISIT_STALE_SECONDS = env_int("VISIT_STALE_SECONDS", 90)
VISIT_INVITATION_COOLDOWN_SECONDS = env_int("VISIT_INVITATION_COOLDOWN_SECONDS", 300)
VISIT_FRAMES_PER_MINUTE = env_int("VISIT_FRAMES_PER_MINUTE", 30)
VISIT_FRAME_BURST = env_int("VISIT_FRAME_BURST", 10)
# Open visit sockets (anonymous, one per page view) per address and per client, counted in
# core.limits across processes and released on disconnect: the public edge's memory budget.
VISIT_MAX_SOCKETS_PER_IP = env_int("VISIT_MAX_SOCKETS_PER_IP", 50)
VISIT_MAX_SOCKETS_PER_CLIENT = env_int("VISIT_MAX_SOCKETS_PER_CLIENT", 20_000)

# --- Quality: ratings, transcripts, NPS surveys (issue 13) -----------------------------
# How often a visitor may ask for a transcript, how long an NPS link works, how long a
# visitor email rests between surveys.
TRANSCRIPT_EMAILS_PER_CONVERSATION_PER_HOUR = env_int("TRANSCRIPT_EMAILS_PER_CONVERSATION_PER_HOUR", 3)
NPS_LINK_MAX_AGE_DAYS = env_int("NPS_LINK_MAX_AGE_DAYS", 14)
NPS_SURVEY_REST_DAYS = env_int("NPS_SURVEY_REST_DAYS", 90)

# --- Search (chats.search) -------------------------------------------------------------
# A message search whose first plan takes longer is read from the GIN index alone (chats.search.selectors).
SEARCH_FAST_PLAN_MS = env_int("SEARCH_FAST_PLAN_MS", 50)

# --- Staffing and economics ---------------------------------------------------------------
# Planning (forecast's handling, used by the planner and the staffing gaps): minutes of an agent's work per chat,
# assumed for a client without closed chats in the past 2 weeks (measured from them otherwise).
STAFFING_AVERAGE_HANDLE_MINUTES = env_int("STAFFING_AVERAGE_HANDLE_MINUTES", 12)
# Economics (planning): weekly hours one in-house employee of a client keeps the chat answered.
STAFFING_IN_HOUSE_HOURS_PER_WEEK = env_float("STAFFING_IN_HOUSE_HOURS_PER_WEEK", 65)

# --- Reports: escalation emails and their delivery ----------------------------------------
REPORT_RETRY_BASE_SECONDS = env_int("REPORT_RETRY_BASE_SECONDS", 60)
REPORT_MAX_ATTEMPTS = env_int("REPORT_MAX_ATTEMPTS", 6)
# The lease of a delivery being sent: a live worker renews it every quarter of this
# while it sends, so only a lost worker lets it run out; the next sweep then sends
# that row again (at least once from then on; the stable Message-ID lets mail
# systems drop the copy). Worst case for a killed worker's email: this plus
# REPORT_SWEEP_SECONDS (agency/beat.py, docs/operations.md).
REPORT_SENDING_STUCK_SECONDS = env_int("REPORT_SENDING_STUCK_SECONDS", 60)
# Messages before and after an escalated question quoted in the report.
REPORT_EXCERPT_MESSAGES = env_int("REPORT_EXCERPT_MESSAGES", 3)

# --- Webhooks (clients.webhooks, docs/webhooks.md) ---------------------------------
# Seconds to connect and for each read of a webhook POST; answers past the cap are not read.
WEBHOOK_TIMEOUT_SECONDS = env_float("WEBHOOK_TIMEOUT_SECONDS", 10)
WEBHOOK_MAX_RESPONSE_BYTES = env_int("WEBHOOK_MAX_RESPONSE_BYTES", 65536)
# Attempts per event and endpoint (backoff from REPORT_RETRY_BASE_SECONDS, doubling: 12 ≈ 34 h).
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 12)
# An endpoint whose attempts have failed for this long (no success between) is disabled; its owners are emailed.
WEBHOOK_DISABLE_AFTER_SECONDS = env_int("WEBHOOK_DISABLE_AFTER_SECONDS", 86400)
# Off in production: webhook URLs may not reach private, loopback or link-local addresses (SSRF).
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", False)
