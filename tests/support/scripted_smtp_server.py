#!/usr/bin/python3
"""A scripted SMTP server (RFC 5321) on aiosmtpd that fails on purpose, for the smtp tests.

Listens on 127.0.0.1 on an ephemeral port and prints "PORT <n>" on stdout once ready.
The recipient's local part picks the failure:

  rcpt450@...    RCPT gets "450 4.2.1 Mailbox busy, try again later"
  rcpt550@...    RCPT gets "550 5.1.1 No such user"
  data554@...    the final "." gets "554 5.7.1 Message rejected"
  dropdata@...   the server answers DATA with 354, then closes the connection
  stallrcpt@...  RCPT is answered only after --stall seconds
  stalldata@...  the final "." is answered only after --stall seconds
  anything else  accepted: "250 2.0.0 Ok" after DATA

Modes:
  --greeting "421 4.3.2 ..."  answer every connection with this greeting and close
  --no-ehlo                   refuse EHLO with "502 5.5.1" (the client must fall back to HELO)

Every accepted message is logged on stdout as "DELIVERED <recipient> <bytes>".
"""
import argparse
import asyncio
import sys

from aiosmtpd.smtp import SMTP


def local_part(address):
    return address.split("@", 1)[0].lower()


class Handler:
    def __init__(self, stall):
        self.stall = stall

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = local_part(address)
        if local == "rcpt450":
            return "450 4.2.1 Mailbox busy, try again later"
        if local == "rcpt550":
            return "550 5.1.1 No such user"
        if local == "stallrcpt":
            await asyncio.sleep(self.stall)
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server, session, envelope):
        locals_ = {local_part(r) for r in envelope.rcpt_tos}
        if "data554" in locals_:
            return "554 5.7.1 Message rejected"
        if "stalldata" in locals_:
            await asyncio.sleep(self.stall)
        for rcpt in envelope.rcpt_tos:
            print(f"DELIVERED {rcpt} {len(envelope.original_content or b'')}", flush=True)
        return "250 2.0.0 Ok"


class ScriptedSMTP(SMTP):
    no_ehlo = False

    async def smtp_EHLO(self, hostname):
        if self.no_ehlo:
            await self.push("502 5.5.1 EHLO not implemented")
            return
        await super().smtp_EHLO(hostname)

    async def smtp_DATA(self, arg):
        if any(local_part(r) == "dropdata" for r in self.envelope.rcpt_tos):
            await self.push("354 End data with <CR><LF>.<CR><LF>")
            self.transport.close()
            return
        await super().smtp_DATA(arg)


class FixedGreeting(asyncio.Protocol):
    greeting = b""

    def connection_made(self, transport):
        transport.write(self.greeting + b"\r\n")
        transport.close()


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--greeting")
    parser.add_argument("--no-ehlo", action="store_true")
    parser.add_argument("--stall", type=float, default=5.0)
    args = parser.parse_args()

    loop = asyncio.get_running_loop()
    if args.greeting:
        FixedGreeting.greeting = args.greeting.encode()
        factory = FixedGreeting
    else:
        ScriptedSMTP.no_ehlo = args.no_ehlo
        handler = Handler(args.stall)

        def factory():
            return ScriptedSMTP(handler, hostname="scripted.test", enable_SMTPUTF8=True,
                                loop=loop)

    server = await loop.create_server(factory, host="127.0.0.1", port=0)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
