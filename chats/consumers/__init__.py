"""Websocket edges of the chat: parse a frame, call one service, send what it returns.

Each socket remembers, per conversation, the last seq it delivered (`cursors`).
Layer events are doorbells: the next seq in line is sent straight from the
event, anything else (a gap, a reconnect, a heartbeat finding more) is read from
the database, so a lost event delays a message but never loses it.

base: what both chat sockets share (and the helpers the visit and floor sockets use); visitor:
the widget's socket of one conversation; agent: an agent's console.
"""
