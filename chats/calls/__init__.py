"""Escalating a chat to a voice or video call: the call log, its frames and its signalling relay.

The media flows browser to browser (WebRTC); Relevo relays the signalling (SDP and
ICE candidates, ephemeral, never stored) over the chat sockets and keeps the log of
each call (offered, answered, connected, ended) in the conversation.
"""
