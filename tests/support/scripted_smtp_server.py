#!/usr/bin/python3
"""A scripted SMTP server (RFC 5321) on aiosmtpd that fails on purpose, for the smtp tests.

Runs under Debian's /usr/bin/python3 (python3-aiosmtpd 1.4.3). Listens on loopback only.

Startup output on stdout, once every listener is bound:

  PORT <n>               only when there is exactly one listener (the original format)
  PORT <addr>:<port>     one line per listener, in the order given
  READY                  last line; nothing else is printed before it

After READY, every accepted message is printed as "DELIVERED <recipient> <bytes>" (one
line per recipient). These lines are written by a separate thread, so a parent that never
reads stdout cannot block the server when the pipe fills.

The recipient's local part picks the failure (case-insensitive; if one transaction has
several of the DATA-stage recipients, the first in this list wins):

  rcpt450@...        RCPT gets "450 4.2.1 Mailbox busy, try again later"
  rcpt451@...        RCPT gets "451 4.3.0 Temporary local problem"
  rcpt452@...        RCPT gets "452 4.5.3 Too many recipients"
  rcpt550@...        RCPT gets "550 5.1.1 No such user"
  rcpt421@...        RCPT gets "421 4.7.0 Too many connections, try again later", then the
                     server closes the connection
  rcptratelimit@...  RCPT gets Gmail's rate-limit reply, six lines:
                       450-4.7.28 [<client ip>] Our system has detected an unusual rate of
                       450-4.7.28 unsolicited mail originating from your IP address. To protect our
                       450-4.7.28 users from spam, mail sent from your IP address has been temporarily
                       450-4.7.28 rate limited. For more information, go to
                       450-4.7.28  https://support.google.com/mail/?p=UnsolicitedRateLimitError to
                       450 4.7.28 review our Bulk Email Senders Guidelines. scripted - gsmtp
  stallrcpt@...      RCPT is answered only after --stall seconds
  dropdata@...       DATA gets 354, then the server closes the connection
  data554@...        the final "." gets "554 5.7.1 Message rejected"
  rcpt552@...        the final "." gets "552 5.2.2 Mailbox full"
  data451@...        the final "." gets "451 4.3.0 Try again later"
  dropdot@...        the server reads the whole message, then closes the connection
                     without answering the final "."
  stalldata@...      the final "." is answered only after --stall seconds
  anything else      accepted: RCPT "250 2.1.5 Ok", final "." "250 2.0.0 Ok"

Other replies are aiosmtpd's own (MAIL "250 OK", RSET "250 OK", QUIT "221 Bye", ...).

Modes:
  --greeting "421 4.3.2 ..."  answer every connection with this greeting and close
  --no-ehlo                   refuse EHLO with "502 5.5.1" (the client must fall back to HELO)
  --stall SECONDS             how long stallrcpt/stalldata wait (default 5)
  --no-pipelining             do not advertise PIPELINING. By default EHLO advertises it
                              (aiosmtpd itself never does, but reads commands one line at a
                              time from a buffered stream, so pipelined groups are answered
                              in order; see tests/smtp/scripted_server_modes_test.cc)
  --starttls CERT KEY         advertise STARTTLS with this certificate and key (PEM); see
                              tests/support/make_test_cert.sh
  --require-tls               with --starttls: refuse every command but EHLO, NOOP, QUIT and
                              STARTTLS before STARTTLS with
                              "530 5.7.0 Must issue a STARTTLS command first"
  --auth USER:PASS            advertise "AUTH LOGIN PLAIN" (with or without TLS) and refuse
                              MAIL, RCPT and DATA before a successful AUTH with
                              "530 5.7.0 Authentication required"; wrong credentials get
                              "535 5.7.8 Authentication credentials invalid". Without --auth
                              no AUTH is advertised, even after STARTTLS.
  --stall-greeting SECONDS    accept the TCP connection but send the 220 greeting only after
                              SECONDS (also delays a --greeting reply)
  --max-message-size N        advertise "SIZE N" (default: aiosmtpd's 33554432) and refuse
                              MAIL ... SIZE=<more than N> and, after the final ".", message
                              data of more than N bytes (as sent, dot-stuffed, CRLFs included)
                              with "552 5.3.4 ..."
  --host ADDR                 bind this loopback address (default 127.0.0.1); may be repeated
                              for one listener per address, all on --port
  --port N                    the port for every --host (default 0: an ephemeral port each)
  --listen A:P,A:P,...        listeners as address:port pairs (port 0 = ephemeral), e.g.
                              --listen 127.0.0.2:0,127.0.0.3:0; adds to any --host.
                              Only loopback addresses are accepted.
  --log FILE                  append one line per event to FILE, written and flushed at once:
                                <unix time, 6 decimals> <client ip> <EVENT> [args...] via=<addr>:<port> conn=<n>
                              via= is the listener the client connected to; conn= numbers the
                              connections of this process from 1. Events and their args:
                                CONNECT                    TCP connection accepted
                                GREETING                   the 220 (or --greeting) reply is sent
                                STARTTLS <version> <cipher> TLS handshake completed
                                AUTH <user> ok|failed
                                MAIL <sender>              MAIL accepted ("<>" for a null sender)
                                RCPT <recipient> <code>    RCPT answered with <code>
                                DATA <code|drop> <bytes>   the final "." answered (drop: dropdot;
                                                           bytes "-" when over --max-message-size)
                                DELIVERED <recipient> <bytes>  one per recipient of an accepted message
                                QUIT                       the client sent QUIT
                                CLOSE                      the connection is gone (always last)
                              Addresses are logged as given, with any whitespace or control
                              character replaced by "?".

Stop the server with SIGTERM (the C++ wrapper, tests/support/scripted_smtp_server.h, does).
"""
import argparse
import asyncio
import ipaddress
import itertools
import logging
import os
import queue
import ssl
import sys
import threading
import time
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

# Replies of aiosmtpd itself, rewritten with enhanced status codes.
REWRITES = {
    "530 Must issue a STARTTLS command first":
        "530 5.7.0 Must issue a STARTTLS command first",
    "552 Error: message size exceeds fixed maximum message size":
        "552 5.3.4 Message size exceeds fixed maximum message size",
    "552 Error: Too much mail data":
        "552 5.3.4 Message too big for system",
}

RCPT_REPLIES = {
    "rcpt450": "450 4.2.1 Mailbox busy, try again later",
    "rcpt451": "451 4.3.0 Temporary local problem",
    "rcpt452": "452 4.5.3 Too many recipients",
    "rcpt550": "550 5.1.1 No such user",
    "rcpt421": "421 4.7.0 Too many connections, try again later",
}

# Checked in this order on the final ".".
DATA_REPLIES = [
    ("data554", "554 5.7.1 Message rejected"),
    ("rcpt552", "552 5.2.2 Mailbox full"),
    ("data451", "451 4.3.0 Try again later"),
]


def rate_limit_reply(client_ip):
    lines = [
        f"[{client_ip}] Our system has detected an unusual rate of",
        "unsolicited mail originating from your IP address. To protect our",
        "users from spam, mail sent from your IP address has been temporarily",
        "rate limited. For more information, go to",
        " https://support.google.com/mail/?p=UnsolicitedRateLimitError to",
        "review our Bulk Email Senders Guidelines. scripted - gsmtp",
    ]
    return "\r\n".join(("450 " if i == len(lines) - 1 else "450-") + "4.7.28 " + text
                       for i, text in enumerate(lines))


def local_part(address):
    return address.split("@", 1)[0].lower()


def printable(value):
    text = str(value)
    return "".join(c if c.isprintable() and not c.isspace() else "?" for c in text) or "-"


def host_port(addr):
    host, port = addr[0], addr[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class StdoutLines:
    """DELIVERED lines on stdout, written by a thread: a full pipe never blocks the loop."""

    def __init__(self):
        self.lines = queue.SimpleQueue()
        threading.Thread(target=self._run, daemon=True).start()

    def put(self, line):
        self.lines.put(line)

    def _run(self):
        while True:
            line = self.lines.get()
            try:
                sys.stdout.write(line + "\n")
                sys.stdout.flush()
            except (BrokenPipeError, OSError):
                return


class EventLog:
    def __init__(self, path):
        self.fd = None
        if path:
            self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)

    def write(self, client_ip, event, details, via, conn):
        if self.fd is None:
            return
        fields = [f"{time.time():.6f}", printable(client_ip), event]
        fields += [printable(d) for d in details]
        fields += [f"via={via}", f"conn={conn}"]
        os.write(self.fd, (" ".join(fields) + "\n").encode("utf-8", "surrogateescape"))


class Config:
    def __init__(self, args, log, stdout_lines):
        self.args = args
        self.log = log
        self.stdout_lines = stdout_lines
        self.connections = itertools.count(1)


class Connection:
    """What every protocol object of one connection logs with."""

    def __init__(self, config, transport):
        self.config = config
        self.conn_id = next(config.connections)
        peer = transport.get_extra_info("peername")
        self.client_ip = peer[0] if peer else "-"
        sock = transport.get_extra_info("sockname")
        self.via = host_port(sock) if sock else "-"

    def event(self, name, *details):
        self.config.log.write(self.client_ip, name, details, self.via, self.conn_id)


class Handler:
    def __init__(self, config):
        self.config = config
        self.stall = config.args.stall

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if not self.config.args.auth:
            responses = [r for r in responses if not r[4:].upper().startswith("AUTH")]
        if not self.config.args.no_pipelining:
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        server.conn.event("MAIL", address or "<>")
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = local_part(address)
        if local in RCPT_REPLIES:
            reply = RCPT_REPLIES[local]
            if local == "rcpt421":
                server.after_reply = "close"
        elif local == "rcptratelimit":
            reply = rate_limit_reply(server.conn.client_ip)
        else:
            if local == "stallrcpt":
                await asyncio.sleep(self.stall)
            envelope.rcpt_tos.append(address)
            envelope.rcpt_options.extend(rcpt_options)
            reply = "250 2.1.5 Ok"
        server.conn.event("RCPT", address, reply[:3])
        return reply

    async def handle_DATA(self, server, session, envelope):
        locals_ = {local_part(r) for r in envelope.rcpt_tos}
        size = len(envelope.original_content or b"")
        for local, reply in DATA_REPLIES:
            if local in locals_:
                server.conn.event("DATA", reply[:3], size)
                return reply
        if "dropdot" in locals_:
            server.conn.event("DATA", "drop", size)
            server.after_reply = "drop"
            return "250 2.0.0 Ok"  # never sent
        if "stalldata" in locals_:
            await asyncio.sleep(self.stall)
        server.conn.event("DATA", "250", size)
        for rcpt in envelope.rcpt_tos:
            self.config.stdout_lines.put(f"DELIVERED {rcpt} {size}")
            server.conn.event("DELIVERED", rcpt, size)
        return "250 2.0.0 Ok"


class ScriptedSMTP(SMTP):
    def __init__(self, handler, config, **kwargs):
        super().__init__(handler, **kwargs)
        self.config = config
        self.conn = None
        # None; "close": close the connection after the next reply; "drop": close it
        # instead of sending the next reply.
        self.after_reply = None
        self.hung_up = False
        # aiosmtpd goes on with pipelined commands it has buffered even after the
        # transport is closed; once we hung up, the command loop ends instead.
        for command, method in self._smtp_methods.items():
            self._smtp_methods[command] = self._unless_hung_up(method)

    def _unless_hung_up(self, method):
        async def run(arg):
            if self.hung_up:
                raise asyncio.CancelledError()
            await method(arg)
        return run

    def connection_made(self, transport):
        starttls_done = self._original_transport is not None
        super().connection_made(transport)
        if starttls_done:
            cipher = transport.get_extra_info("cipher") or ("-", "-")
            self.conn.event("STARTTLS", cipher[1], cipher[0])
        else:
            self.conn = Connection(self.config, transport)
            self.conn.event("CONNECT")

    def connection_lost(self, error):
        if self.conn is not None:
            self.conn.event("CLOSE")
        super().connection_lost(error)

    async def _handle_client(self):
        if self.config.args.stall_greeting > 0:
            await asyncio.sleep(self.config.args.stall_greeting)
        self.conn.event("GREETING")
        await super()._handle_client()

    async def push(self, status):
        if isinstance(status, str):
            if status == "552 Error: Too much mail data":
                self.conn.event("DATA", "552", "-")
            status = REWRITES.get(status, status)
        if self.after_reply == "drop":
            self.after_reply = None
            self.hang_up()
            return
        await super().push(status)
        if self.after_reply == "close":
            self.after_reply = None
            self.hang_up()

    def hang_up(self):
        self.hung_up = True
        self.transport.close()

    async def smtp_EHLO(self, hostname):
        if self.config.args.no_ehlo:
            await self.push("502 5.5.1 EHLO not implemented")
            return
        await super().smtp_EHLO(hostname)

    async def smtp_DATA(self, arg):
        if any(local_part(r) == "dropdata" for r in self.envelope.rcpt_tos):
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            self.hang_up()
            return
        await super().smtp_DATA(arg)

    async def smtp_QUIT(self, arg):
        self.conn.event("QUIT")
        await super().smtp_QUIT(arg)


class FixedGreeting(asyncio.Protocol):
    def __init__(self, config):
        self.config = config
        self.conn = None
        self.timer = None

    def connection_made(self, transport):
        self.conn = Connection(self.config, transport)
        self.conn.event("CONNECT")
        self.timer = asyncio.get_running_loop().call_later(
            self.config.args.stall_greeting, self.greet, transport)

    def greet(self, transport):
        self.conn.event("GREETING")
        transport.write(self.config.args.greeting.encode() + b"\r\n")
        transport.close()

    def connection_lost(self, exc):
        self.timer.cancel()
        self.conn.event("CLOSE")


def parse_listeners(args, parser):
    listeners = [(h, args.port) for h in (args.host or [])]
    for item in (args.listen or "").split(","):
        item = item.strip()
        if not item:
            continue
        host, sep, port = item.rpartition(":")
        host = host.strip("[]")
        if not sep or not host or not port.isdigit():
            parser.error(f"--listen wants ADDR:PORT, not {item!r}")
        listeners.append((host, int(port)))
    if not listeners:
        listeners = [("127.0.0.1", args.port)]
    for host, port in listeners:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            parser.error(f"{host} is not a loopback address")
        if not 0 <= port <= 65535:
            parser.error(f"bad port {port}")
    return listeners


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--greeting")
    parser.add_argument("--no-ehlo", action="store_true")
    parser.add_argument("--stall", type=float, default=5.0)
    parser.add_argument("--no-pipelining", action="store_true")
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--require-tls", action="store_true")
    parser.add_argument("--auth", metavar="USER:PASS")
    parser.add_argument("--stall-greeting", type=float, default=0.0, metavar="SECONDS")
    parser.add_argument("--max-message-size", type=int, metavar="N")
    parser.add_argument("--host", action="append", metavar="ADDR")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--listen", metavar="A:P,...")
    parser.add_argument("--log", metavar="FILE")
    args = parser.parse_args()
    if args.require_tls and not args.starttls:
        parser.error("--require-tls needs --starttls")
    if args.auth is not None and ":" not in args.auth:
        parser.error("--auth wants USER:PASS")
    if args.max_message_size is not None and args.max_message_size <= 0:
        parser.error("--max-message-size must be positive")
    listeners = parse_listeners(args, parser)

    # aiosmtpd warns (warnings and its "mail.log" logger) about AUTH without TLS, which
    # is what --auth means on loopback.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    config = Config(args, EventLog(args.log), StdoutLines())
    loop = asyncio.get_running_loop()

    if args.greeting:
        def factory():
            return FixedGreeting(config)
    else:
        handler = Handler(config)
        kwargs = dict(hostname="scripted.test", enable_SMTPUTF8=True, loop=loop,
                      auth_require_tls=False)
        if args.max_message_size:
            kwargs["data_size_limit"] = args.max_message_size
        if args.starttls:
            tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.load_cert_chain(args.starttls[0], args.starttls[1])
            kwargs["tls_context"] = tls
            kwargs["require_starttls"] = args.require_tls
        if args.auth:
            user, password = args.auth.split(":", 1)

            def authenticator(server, session, envelope, mechanism, auth_data):
                ok = (isinstance(auth_data, LoginPassword) and
                      auth_data.login == user.encode() and
                      auth_data.password == password.encode())
                login = auth_data.login.decode("utf-8", "replace") \
                    if isinstance(auth_data, LoginPassword) else "-"
                server.conn.event("AUTH", login, "ok" if ok else "failed")
                return AuthResult(success=ok, handled=False, auth_data=auth_data)

            kwargs["auth_required"] = True
            kwargs["authenticator"] = authenticator
        else:
            kwargs["auth_exclude_mechanism"] = ["LOGIN", "PLAIN"]

        def factory():
            return ScriptedSMTP(handler, config, **kwargs)

    servers = []
    for host, port in listeners:
        servers.append(await loop.create_server(factory, host=host, port=port))
    bound = [host_port(s.sockets[0].getsockname()) for s in servers]
    if len(servers) == 1:
        print(f"PORT {servers[0].sockets[0].getsockname()[1]}")
    for addr in bound:
        print(f"PORT {addr}")
    print("READY", flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
