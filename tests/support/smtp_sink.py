#!/usr/bin/python3
"""A real SMTP server for casereview's tests (Debian's python3-aiosmtpd), bound to 127.0.0.1.

Every accepted message becomes DIR/NNNN.json, written atomically (a temp file renamed):
  {"mail_from", "rcpt_tos", "session", "tls", "auth_user", "headers", "text", "html", "raw"}
"session" is the same for every message of one TCP connection and differs between
connections (also across restarts); "headers" are decoded; "raw" is the message as received.

  smtp_sink.py --dir DIR [--port N] [--ready FILE] [--stop-after N] [--refuse-rcpt ADDR]...
               [--tls-cert PEM --tls-key PEM] [--auth-user U --auth-password P]
  smtp_sink.py --parse-eml FILE      prints the same record (no envelope) for an .eml file

--port 0 picks a free port; --ready gets the port number once the server listens.
--stop-after N: once the N-th message has been acknowledged the process dies on the spot,
as a crashed mail server would (no QUIT, no clean close). SIGTERM stops it cleanly.
--refuse-rcpt ADDR: RCPT TO that address gets "550 5.1.1" (a mailbox that does not exist).
--tls-cert/--tls-key offer STARTTLS and require it; --auth-user/--auth-password require
AUTH (LOGIN or PLAIN) with exactly these credentials.

Needs Debian's interpreter (/usr/bin/python3), where python3-aiosmtpd is installed.
"""
import argparse
import asyncio
import email
import email.policy
import itertools
import json
import os
import signal
import ssl
import sys


def decoded(part) -> str:
    """A part's text, transfer encoding and charset undone, line ends as "\\n"."""
    return part.get_content().replace("\r\n", "\n") if part is not None else ""


def parse_message(raw: bytes) -> dict:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    headers = {name: str(value) for name, value in message.items()}
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return {
        "headers": headers,
        "text": decoded(text),
        "html": decoded(html),
        "raw": raw.decode("utf-8", errors="replace"),
    }


def write_atomically(path: str, text: str) -> None:
    folder, name = os.path.split(path)
    temp = os.path.join(folder, "." + name + ".tmp")
    with open(temp, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)


def first_free_number(folder: str) -> int:
    """Numbers go on after a restart into the same folder."""
    numbers = [int(n[:-5]) for n in os.listdir(folder) if n.endswith(".json") and n[:-5].isdigit()]
    return max(numbers, default=0) + 1


class Recorder:
    """aiosmtpd handler: records each message, and dies after the N-th if told to."""

    def __init__(self, folder: str, stop_after: int, refused: list):
        self.folder = folder
        self.stop_after = stop_after
        self.refused = set(refused)
        self.accepted = 0
        self.next_number = first_free_number(folder)
        self.connections = itertools.count(1)

    def session_id(self, server) -> str:
        # One SMTP protocol object per TCP connection (aiosmtpd renews the Session object
        # after STARTTLS, so it cannot serve as the connection's identity).
        if not hasattr(server, "casereview_session"):
            server.casereview_session = f"{os.getpid()}-{next(self.connections)}"
        return server.casereview_session

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "session": self.session_id(server),
            "tls": session.ssl is not None,
            "auth_user": session.auth_data if session.authenticated else None,
        }
        record.update(parse_message(envelope.original_content or envelope.content))
        path = os.path.join(self.folder, f"{self.next_number:04d}.json")
        write_atomically(path, json.dumps(record, indent=1, ensure_ascii=False))
        self.next_number += 1
        self.accepted += 1
        if self.stop_after and self.accepted >= self.stop_after:
            await self.acknowledge_and_die(server)
        return "250 OK"

    @staticmethod
    async def acknowledge_and_die(server):
        # The client has its "250" before the process goes (a TLS transport writes on a
        # later turn of the loop, hence the pause); this connection reads nothing more
        # meanwhile, so the next command meets a dead server.
        await server.push("250 OK")
        await asyncio.sleep(0.1)
        os._exit(3)


def make_authenticator(user: str, password: str):
    from aiosmtpd.smtp import AuthResult

    def authenticate(server, session, envelope, mechanism, auth_data):
        given_user = auth_data.login.decode("utf-8", errors="replace")
        given_password = auth_data.password.decode("utf-8", errors="replace")
        if mechanism in ("LOGIN", "PLAIN") and (given_user, given_password) == (user, password):
            return AuthResult(success=True, auth_data=given_user)
        return AuthResult(success=False, handled=False)

    return authenticate


def smtp_factory(args, handler, loop):
    from aiosmtpd.smtp import SMTP

    options = {"hostname": "localhost", "loop": loop}
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        options.update(tls_context=context, require_starttls=True)
    if args.auth_user:
        options.update(authenticator=make_authenticator(args.auth_user, args.auth_password),
                       auth_required=True, auth_require_tls=bool(args.tls_cert))
    return lambda: SMTP(handler, **options)


def serve(args) -> int:
    os.makedirs(args.dir, exist_ok=True)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    handler = Recorder(args.dir, args.stop_after, args.refuse_rcpt)
    server = loop.run_until_complete(
        loop.create_server(smtp_factory(args, handler, loop), host="127.0.0.1", port=args.port,
                           reuse_address=True))
    loop.add_signal_handler(signal.SIGTERM, loop.stop)
    loop.add_signal_handler(signal.SIGINT, loop.stop)
    port = server.sockets[0].getsockname()[1]
    if args.ready:
        write_atomically(args.ready, f"{port}\n")
    print(f"smtp_sink: listening on 127.0.0.1:{port}", file=sys.stderr, flush=True)
    loop.run_forever()
    server.close()
    print("smtp_sink: stopped", file=sys.stderr, flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--ready")
    parser.add_argument("--stop-after", type=int, default=0)
    parser.add_argument("--refuse-rcpt", action="append", default=[])
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--auth-user")
    parser.add_argument("--auth-password", default="")
    parser.add_argument("--parse-eml")
    args = parser.parse_args()
    if args.parse_eml:
        with open(args.parse_eml, "rb") as eml:
            print(json.dumps(parse_message(eml.read()), ensure_ascii=False))
        return 0
    if not args.dir:
        parser.error("--dir is required")
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
