"""Local AWS emulator for the sandbox: moto's server plus the project's patches.

moto lacks (or answers in the wrong shape) some operations that the AWS provider and the
scheduler need. Each module in patches/ fills one gap and exposes `apply()`; this entry point
applies all of them before the server starts, so the platform deploys unmodified against it.
The README lists every gap and its patch.

Usage: python3 sandbox/emulator/server.py --port 0   (prints "EMULATOR_READY <port>" when up)
"""
import argparse
import importlib
import os
import pkgutil
import socket
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def apply_patches():
    import patches  # noqa: E402  (local package next to this file)

    applied = []
    for mod in sorted(m.name for m in pkgutil.iter_modules(patches.__path__)):
        module = importlib.import_module(f"patches.{mod}")
        if hasattr(module, "apply"):
            module.apply()
            applied.append(mod)
    return applied


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    args = parser.parse_args()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the emulator only listens on loopback")

    applied = apply_patches()

    from werkzeug.serving import make_server
    from moto.server import DomainDispatcherApplication, create_backend_app

    app = DomainDispatcherApplication(create_backend_app)
    server = make_server(args.host, args.port, app, threaded=True)
    port = server.socket.getsockname()[1]
    print(f"EMULATOR_READY {port} patches={','.join(applied)}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
