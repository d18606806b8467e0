#!/usr/bin/python3
"""A real SMTP server for Handoff's e-mail tests (Debian's python3-aiosmtpd).

Listens on 127.0.0.1 on a port the system picks, prints {"listening": PORT} once it accepts connections, then one
JSON line per accepted mail: {"mailFrom", "rcptTos", "login", "data"} with the raw message base64-encoded.
Recipients whose local part starts with "reject" are refused for good (550), with "busy" for now (451).
With --auth USER:PASSWORD every mail needs AUTH as that user (allowed without TLS: it is loopback only).
Exits when its standard input closes, so it never outlives the test process that started it.
"""
import argparse
import asyncio
import base64
import json
import os
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if local.startswith("busy"):
            return "451 4.2.1 <%s>: Mailbox busy, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        login = session.auth_data if session.authenticated else None
        line = {
            "mailFrom": envelope.mail_from,
            "rcptTos": envelope.rcpt_tos,
            "login": login.decode("utf-8") if isinstance(login, bytes) else None,
            "data": base64.b64encode(envelope.original_content).decode("ascii"),
        }
        # Written before the answer: once the client has its 250, the line is in the pipe.
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()
        return "250 2.0.0 Ok: queued"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)

    return check


def exit_when_stdin_closes():
    sys.stdin.read()
    os._exit(0)


async def main(args):
    options = {}
    if args.auth:
        user, password = args.auth.split(":", 1)
        options = {"authenticator": authenticator(user, password), "auth_required": True, "auth_require_tls": False}
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Sink(), hostname="sink.test", **options), host="127.0.0.1", port=0)
    print(json.dumps({"listening": server.sockets[0].getsockname()[1]}), flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--auth", help="USER:PASSWORD required of every client")
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    asyncio.run(main(parser.parse_args()))
