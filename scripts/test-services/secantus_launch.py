"""Starts SecantusDB (a MongoDB-wire server) in memory on a loopback port chosen by the OS.

For the test run only. Prints one JSON line {"host": ..., "port": ..., "pid": ...} once it is
listening. Standard input is a pipe held by the parent: at end of file (the parent exited, even
by SIGKILL) the server stops, so none is ever left behind. TTL indexes are swept every second
instead of mongod's minute, so expiry can be tested.
"""
import json
import logging
import os
import signal
import sys

from secantus.server import SecantusDBServer


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    server = SecantusDBServer(
        host="127.0.0.1",
        port=int(os.environ.get("AWS_COPILOT_MONGO_PORT", "0")),
        storage_path=":memory:",
        ttl_sweep_seconds=1,
    )
    server.start()
    host, port = server.address
    sys.stdout.write(json.dumps({"host": host, "port": port, "pid": os.getpid()}) + "\n")
    sys.stdout.flush()

    def stop(*_args: object) -> None:
        # In memory: nothing to flush, and a fast exit beats a graceful drain at teardown.
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while sys.stdin.buffer.read(4096):
        pass
    stop()


if __name__ == "__main__":
    main()
