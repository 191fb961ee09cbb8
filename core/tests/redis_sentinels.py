"""A real Redis primary, its replica and three Sentinels on free ports (deploy/sentinel.conf),
for the failover specs: kill the primary, wait for the Sentinels to promote the replica."""

from __future__ import annotations

import shutil
import signal
import string
import subprocess
import time
from pathlib import Path

import redis

from conftest import ROOT, free_port, require_mark, wait_for_port

MASTER_NAME = "relevo"


def redis_server_command(port: int, state_dir: Path, *extra: str) -> list[str]:
    """A redis-server that keeps nothing on disk and syncs its replica without a file."""
    return [
        shutil.which("redis-server") or "redis-server",
        *("--port", str(port), "--bind", "127.0.0.1", "--dir", str(state_dir)),
        *("--save", "", "--appendonly", "no", "--repl-diskless-sync", "yes", "--repl-diskless-sync-delay", "0"),
        *extra,
    ]


class SentinelGroup:
    """Primary + replica + 3 Sentinels; `kill_primary()` is a SIGKILL, nothing gets to hand over."""

    def __init__(self, state_dir: Path):
        self.state_dir = state_dir
        self.primary_port, self.replica_port = free_port(), free_port()
        self.sentinel_ports = [free_port() for _ in range(3)]
        self.processes: dict[int, subprocess.Popen] = {}

    @property
    def sentinels(self) -> str:
        """REDIS_SENTINELS for the processes that use this group."""
        return ",".join(f"127.0.0.1:{port}" for port in self.sentinel_ports)

    def start(self) -> SentinelGroup:
        require_mark("server", "redis-server and redis-sentinel processes")
        self.spawn(self.primary_port, redis_server_command(self.primary_port, self.state_dir))
        replica = ("--replicaof", "127.0.0.1", str(self.primary_port))
        self.spawn(self.replica_port, redis_server_command(self.replica_port, self.state_dir, *replica))
        template = string.Template((ROOT / "deploy" / "sentinel.conf").read_text())
        for port in self.sentinel_ports:
            config = self.state_dir / f"sentinel-{port}.conf"
            values = {"SENTINEL_PORT": port, "STATE_DIR": self.state_dir, "MASTER_NAME": MASTER_NAME}
            config.write_text(template.substitute(values | {"PRIMARY_PORT": self.primary_port}))
            self.spawn(port, [shutil.which("redis-server") or "redis-server", str(config), "--sentinel"])
        self.wait_until_watched()
        return self

    def spawn(self, port: int, command: list[str]) -> None:
        self.processes[port] = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(port, self.processes[port])

    def sentinel_view(self, port: int) -> dict:
        with redis.Redis(port=port, decode_responses=True, socket_timeout=1) as sentinel:
            return sentinel.sentinel_master(MASTER_NAME)

    def wait_until_watched(self, timeout: float = 20) -> None:
        """Until every Sentinel knows the replica and the two other Sentinels (a failover needs them)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            views = [self.sentinel_view(port) for port in self.sentinel_ports]
            if all(v["num-slaves"] == 1 and v["num-other-sentinels"] == 2 for v in views):
                if self.replica_in_sync():
                    return
            time.sleep(0.2)
        raise RuntimeError(f"the Sentinels never saw the whole group: {views}")

    def replica_in_sync(self) -> bool:
        with redis.Redis(port=self.replica_port, decode_responses=True) as replica:
            return replica.info("replication").get("master_link_status") == "up"

    def primary_address(self) -> tuple[str, int]:
        with redis.Redis(port=self.sentinel_ports[0], decode_responses=True, socket_timeout=1) as sentinel:
            host, port = sentinel.sentinel_get_master_addr_by_name(MASTER_NAME)
        return host, int(port)

    def kill_primary(self) -> float:
        """SIGKILL the primary; the monotonic time of the kill."""
        process = self.processes.pop(self.primary_port)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=5)
        return time.monotonic()

    def wait_for_promotion(self, timeout: float = 30) -> float:
        """Until every Sentinel names the replica as the primary and it says it is one."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            named = {self.sentinel_view(port)["port"] for port in self.sentinel_ports}
            if named == {self.replica_port}:
                with redis.Redis(port=self.replica_port, decode_responses=True) as promoted:
                    if promoted.info("replication")["role"] == "master":
                        return time.monotonic()
            time.sleep(0.05)
        raise RuntimeError("the Sentinels did not promote the replica")

    def clients_of_primary(self) -> list[dict]:
        """The clients of the current primary (not the Sentinels, not the asker)."""
        with redis.Redis(port=self.primary_address()[1]) as probe:
            me = probe.client_id()
            return [c for c in probe.client_list() if int(c["id"]) != me and c["name"]]

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.kill()
                process.wait(timeout=5)
        self.processes.clear()
