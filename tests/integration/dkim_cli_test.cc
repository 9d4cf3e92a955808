// `b2bmail dkim keygen` and `b2bmail dkim verify` end to end: keys made by the binary,
// messages signed by the binary (template render) and by python3-dkim, checked by the
// binary; and its exit codes for tampered, unsigned and unreadable messages.
#include <catch2/catch.hpp>
#include <filesystem>

#include "support/run_command.h"
#include "support/temp_dir.h"
#include "workspace.h"

namespace fs = std::filesystem;
using namespace b2bmail::testing;

namespace {

const std::string kNowSeconds = "1795424400";  // kNow, for the Python signer's t=

// Runs keygen in `ws` and returns what it prints.
std::string Keygen(const Workspace& ws, const std::string& selector, const std::string& algorithm) {
  auto r = ws.Run("dkim keygen --domain lumetra.example --selector " + selector + " --algorithm " +
                  algorithm);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  return r.output;
}

std::string Replace(std::string s, const std::string& from, const std::string& to,
                    std::size_t after = 0) {
  std::size_t pos = s.find(from, after);
  REQUIRE(pos != std::string::npos);
  return s.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE(
    "dkim verify passes what template render signed with keygen's keys, and fails a "
    "tampered copy",
    "[integration]") {
  Workspace ws;
  for (const char* kind : {"accounts", "contacts"})
    REQUIRE(ws.Run(std::string("import ") + kind + " " + kSource + "/samples/" + kind + ".csv")
                .exit_code == 0);
  // keygen's whole output, both keys in one file, is the key file.
  std::string rsa_printed = Keygen(ws, "rsa2026", "rsa");
  std::string keys = rsa_printed + Keygen(ws, "ed2026", "ed25519");
  auto key_file = ws.dir.Write("keys.txt", keys);
  ws.dir.Write("b2bmail.toml",
               "[[dkim]]\ndomain = \"lumetra.example\"\nselector = \"rsa2026\"\n"
               "algorithm = \"rsa\"\nprivate_key = \"dkim/rsa2026.lumetra.example.pem\"\n\n"
               "[[dkim]]\ndomain = \"lumetra.example\"\nselector = \"ed2026\"\n"
               "algorithm = \"ed25519\"\nprivate_key = \"dkim/ed2026.lumetra.example.pem\"\n");
  auto out = ws.dir.File("preview");
  auto render =
      ws.Run("template render webinar-invite --contact d.richter@hk-kuehllogistik.de --out " +
                 ShellQuote(out),
             true);
  INFO(render.output);
  REQUIRE(render.exit_code == 0);
  std::string eml = out + "/message.eml";

  auto verify =
      ws.Run("dkim verify " + ShellQuote(eml) + " --key-file " + ShellQuote(key_file), true);
  CHECK(verify.exit_code == 0);
  CHECK(verify.output ==
        "pass d=lumetra.example s=rsa2026 a=rsa-sha256\n"
        "pass d=lumetra.example s=ed2026 a=ed25519-sha256\n");

  std::string message = ReadFile(eml);
  auto tampered = ws.dir.Write("tampered.eml",
                               Replace(message, "Dominik", "Mallory", message.find("\r\n\r\n")));
  auto bad =
      ws.Run("dkim verify " + ShellQuote(tampered) + " --key-file " + ShellQuote(key_file), true);
  CHECK(bad.exit_code == 1);
  CHECK(bad.output ==
        "fail d=lumetra.example s=rsa2026 a=rsa-sha256: body hash mismatch\n"
        "fail d=lumetra.example s=ed2026 a=ed25519-sha256: body hash mismatch\n");

  // A key file with only the rsa record: the ed25519 signature has no key.
  auto rsa_only = ws.dir.Write("rsa.txt", rsa_printed);
  auto partial =
      ws.Run("dkim verify " + ShellQuote(eml) + " --key-file " + ShellQuote(rsa_only), true);
  CHECK(partial.exit_code == 1);
  CHECK(partial.output ==
        "pass d=lumetra.example s=rsa2026 a=rsa-sha256\n"
        "key-not-found d=lumetra.example s=ed2026 a=ed25519-sha256: no record for "
        "ed2026._domainkey.lumetra.example in " +
            rsa_only + "\n");
}

TEST_CASE(
    "dkim verify passes a message python3-dkim signed with a keygen key, checked against "
    "the bare record",
    "[integration]") {
  Workspace ws;
  std::string printed = Keygen(ws, "ed2026", "ed25519");
  // The record alone, as someone would paste it from the DNS console.
  std::size_t start = printed.find("\"v=DKIM1") + 1;
  auto record =
      ws.dir.Write("record.txt", printed.substr(start, printed.find('"', start) - start) + "\n");
  auto message = ws.dir.Write("m.eml",
                              "From: Lumetra Events <events@lumetra.example>\r\n"
                              "To: d.richter@hk-kuehllogistik.de\r\n"
                              "Subject:  Webinar  am Dienstag \r\n\r\nHallo,  bis bald.\r\n");
  for (const char* canon : {"simple/simple", "relaxed/relaxed"}) {
    INFO(canon);
    auto sign = RunCommand("/usr/bin/python3 " + kSource + "/tests/support/sign_dkim.py " +
                           ShellQuote(message) + " " +
                           ShellQuote(ws.dir.File("dkim/ed2026.lumetra.example.pem")) +
                           " lumetra.example ed2026 --algorithm ed25519-sha256 --canon " + canon +
                           " --time " + kNowSeconds);
    REQUIRE(sign.exit_code == 0);
    auto signed_file = ws.dir.Write("signed.eml", sign.output);
    auto verify = ws.Run(
        "dkim verify " + ShellQuote(signed_file) + " --key-file " + ShellQuote(record), true);
    CHECK(verify.exit_code == 0);
    CHECK(verify.output == "pass d=lumetra.example s=ed2026 a=ed25519-sha256\n");
  }
}

TEST_CASE("dkim verify exits 1 for an unsigned message and 2 for unreadable files or bad usage",
          "[integration]") {
  Workspace ws;
  auto record = ws.dir.Write("record.txt", "v=DKIM1; k=ed25519; p=" + std::string(43, 'A') + "=\n");
  auto unsigned_message =
      ws.dir.Write("plain.eml", "From: a@lumetra.example\r\nSubject: hi\r\n\r\nbody\r\n");

  auto none = ws.Run(
      "dkim verify " + ShellQuote(unsigned_message) + " --key-file " + ShellQuote(record), true);
  CHECK(none.exit_code == 1);
  CHECK(none.output == "no DKIM-Signature\n");

  auto missing =
      ws.Run("dkim verify /nonexistent/message.eml --key-file " + ShellQuote(record), true);
  CHECK(missing.exit_code == 2);
  CHECK(missing.output == "b2bmail: error: cannot read /nonexistent/message.eml\n");

  auto no_keys = ws.Run(
      "dkim verify " + ShellQuote(unsigned_message) + " --key-file /nonexistent/keys.txt", true);
  CHECK(no_keys.exit_code == 2);
  CHECK(no_keys.output == "b2bmail: error: cannot read DKIM key file /nonexistent/keys.txt\n");

  auto empty_keys = ws.dir.Write("empty.txt", "# nothing yet\n");
  auto unusable = ws.Run(
      "dkim verify " + ShellQuote(unsigned_message) + " --key-file " + ShellQuote(empty_keys),
      true);
  CHECK(unusable.exit_code == 2);
  CHECK(unusable.output.find(empty_keys + ": error[no-key-record]: no DKIM key record") == 0);

  CHECK(ws.Run("dkim verify", true).output ==
        "b2bmail: error: dkim verify needs exactly one FILE.eml\n");
  CHECK(ws.Run("dkim verify a.eml b.eml").exit_code == 2);
  CHECK(ws.Run("dkim verify " + ShellQuote(unsigned_message) + " --selector x").exit_code == 2);
  auto help = ws.Run("dkim --help");
  CHECK(help.exit_code == 0);
  CHECK(help.output.find("b2bmail dkim verify FILE.eml [--key-file TXT]") != std::string::npos);
}
