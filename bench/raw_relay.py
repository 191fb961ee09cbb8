"""The raw relay beside which bench/relay.py measures Relevo: an in-memory `websockets` relay in one
process, no persistence, the floor of what relaying a message costs here."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import websockets
from relay_meter import CHATS_PER_AGENT, CpuMeter, Sockets, closed_loop, free_port, measured, open_loop, wait_for_port


async def serve_raw_relay(port: int) -> None:
    consoles: dict[str, set] = {}

    async def handler(socket_) -> None:
        path = socket_.request.path
        name = path.rsplit("/", 1)[-1]
        if path.startswith("/agent/"):
            consoles.setdefault(name, set()).add(socket_)
            try:
                await socket_.wait_closed()
            finally:
                consoles[name].discard(socket_)
            return
        async for raw in socket_:
            frame = json.loads(raw)
            relayed = json.dumps(
                {
                    "type": "message",
                    "conversation": frame["conversation"],
                    "client_id": frame["client_id"],
                    "sender": "visitor",
                    "body": frame["body"],
                }
            )
            await socket_.send(json.dumps({"type": "ack", "client_id": frame["client_id"]}))
            for console in list(consoles.get(name, ())):
                await console.send(relayed)

    async with websockets.serve(handler, "127.0.0.1", port, max_queue=None):
        await asyncio.Future()


class RawRelay:
    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen([sys.executable, __file__, str(self.port)])
        wait_for_port(self.port)

    def meter(self) -> CpuMeter:
        return CpuMeter([self.process.pid], with_database=False)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


async def open_raw(port: int, conversations: int) -> Sockets:
    pairs = [{"conversation": n, "agent": f"agent{n // CHATS_PER_AGENT}"} for n in range(conversations)]
    sockets = Sockets()
    await sockets.open(
        pairs,
        visitor_connect=lambda p: websockets.connect(f"ws://127.0.0.1:{port}/visitor/{p['agent']}", max_queue=None),
        agent_connect=lambda a: websockets.connect(f"ws://127.0.0.1:{port}/agent/{a}", max_queue=None),
    )
    return sockets


def run_raw(args) -> tuple[dict | None, list[dict] | None]:
    relay = RawRelay()
    try:

        async def run():
            closed = opened = None
            if "closed" in args.loops:
                sockets = await open_raw(relay.port, args.conversations)
                closed = await measured(relay.meter(), closed_loop(sockets, args.messages))
                await sockets.close()
            if "open" in args.loops:
                sockets = await open_raw(relay.port, args.open_conversations)
                opened = [await measured(relay.meter(), open_loop(sockets, rate, args.seconds)) for rate in args.rates]
                await sockets.close()
            return closed, opened

        return asyncio.run(run())
    finally:
        relay.stop()


# --- Report ---------------------------------------------------------------------------


if __name__ == "__main__":  # the relay's own process: bench/raw_relay.py PORT
    asyncio.run(serve_raw_relay(int(sys.argv[1])))
