"""Starts moto's server on a loopback port chosen by the OS and exits when its parent goes away.

Prints one JSON line {"host": ..., "port": ...} once it is listening. Standard input is a pipe
held by the parent: when it reaches end of file (the parent exited, even by SIGKILL) this
process ends too, so no emulator is ever left behind.
"""
import json
import os
import signal
import sys
import threading

from moto.moto_server.threaded_moto_server import ThreadedMotoServer


def main() -> None:
    host = os.environ.get("AWS_COPILOT_SANDBOX_HOST", "127.0.0.1")
    port = int(os.environ.get("AWS_COPILOT_SANDBOX_PORT", "0"))
    server = ThreadedMotoServer(ip_address=host, port=port, verbose=False)
    server.start()
    bound_host, bound_port = server.get_host_and_port()
    sys.stdout.write(json.dumps({"host": bound_host, "port": bound_port, "pid": os.getpid()}) + "\n")
    sys.stdout.flush()

    def stop(*_args: object) -> None:
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def watch_parent() -> None:
        while sys.stdin.buffer.read(4096):
            pass
        stop()

    threading.Thread(target=watch_parent, daemon=True).start()
    threading.Event().wait()


if __name__ == "__main__":
    main()
