#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/mime/dkim.h"
#include "b2bmail/mime/dkim_key_file.h"
#include "b2bmail/mime/dkim_verifier.h"
#include "b2bmail/mime/dns_dkim_key_lookup.h"
#include "commands.h"

namespace b2bmail::cli {
namespace {
namespace fs = std::filesystem;

constexpr const char* kDkimHelp = R"(usage:
  b2bmail dkim keygen --domain DOMAIN --selector SELECTOR [--algorithm rsa|ed25519] [--out FILE]
      Write a new private key (RSA 2048 or Ed25519, PEM, mode 0600; default
      dkim/SELECTOR.DOMAIN.pem in the workspace; an existing file is never
      overwritten) and print the DNS TXT record to publish and the [[dkim]]
      entry for b2bmail.toml. Signing both ways at once is allowed: add two keys.

  b2bmail dkim verify FILE.eml [--key-file TXT]
      Check every DKIM-Signature of a message (RFC 6376; rsa-sha256, ed25519-sha256),
      one line each: "pass d=DOMAIN s=SELECTOR a=ALGORITHM", or the status (fail,
      permerror, temperror, key-not-found) and ": reason". Keys come from DNS, or
      from TXT: the record as keygen prints it (its whole output may be saved),
      NAME TXT "..." zone-file lines or NAME=RECORD lines. Bare LF line ends are
      read as CRLF. rsa-sha1, RSA keys under 1024 bits and l= tags fail. Exit 0
      when every signature passes, 1 when one does not or there is none.
)";

int Keygen(const GlobalOptions& global, const Args& args) {
  auto domain = args.Get("domain");
  auto selector = args.Get("selector");
  if (!domain || !selector)
    throw Error(ErrorKind::kUsage, "dkim keygen needs --domain and --selector");
  std::string algorithm = args.Get("algorithm").value_or("rsa");
  if (algorithm != "rsa" && algorithm != "ed25519")
    throw Error(ErrorKind::kUsage, "--algorithm is rsa or ed25519, not '" + algorithm + "'");
  auto kind =
      algorithm == "rsa" ? mime::DkimAlgorithm::kRsaSha256 : mime::DkimAlgorithm::kEd25519Sha256;
  Workspace ws(global);
  fs::path out = args.Get("out").value_or(
      (ws.root() / "dkim" / (*selector + "." + *domain + ".pem")).string());
  if (fs::exists(out))
    throw Error(ErrorKind::kUsage, out.string() + " exists; keys are never overwritten");
  std::string pem = mime::GenerateDkimPrivateKey(kind);
  auto key = mime::DkimKey::FromPem(*domain, *selector, kind, pem, out.string());
  if (out.has_parent_path()) fs::create_directories(out.parent_path());
  {
    // Created 0600 from the start: the key is never readable by others, not even briefly.
    mode_t old = umask(077);
    std::ofstream file(out, std::ios::binary);
    umask(old);
    file << pem;
    if (!file) throw Error(ErrorKind::kIo, "cannot write " + out.string());
  }
  fs::permissions(out, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
  std::cout << "wrote " << out.string() << " (" << algorithm << ", mode 0600)\n\n"
            << "publish in DNS:\n  " << *selector << "._domainkey." << *domain << ".  TXT  \""
            << key.DnsRecord() << "\"\n\n"
            << "add to b2bmail.toml:\n  [[dkim]]\n  domain = \"" << *domain << "\"\n  selector = \""
            << *selector << "\"\n  algorithm = \"" << algorithm << "\"\n  private_key = \""
            << out.string() << "\"\n";
  return kExitOk;
}

// Whatever the message or the keys say is a result (exit 1); only a file that cannot
// be read or a key file that cannot be parsed is the caller's input error (exit 2).
int Verify(const GlobalOptions& global, const Args& args) {
  if (args.positional().size() != 2)
    throw Error(ErrorKind::kUsage, "dkim verify needs exactly one FILE.eml");
  for (const char* keygen_only : {"domain", "selector", "algorithm", "out"})
    if (args.Get(keygen_only))
      throw Error(ErrorKind::kUsage,
                  std::string("--") + keygen_only + " is for dkim keygen, not dkim verify");
  base::TimePoint now = base::SystemClock().Now();
  if (global.now) {
    auto t = base::ParseIso8601(*global.now);
    if (!t)
      throw Error(ErrorKind::kUsage,
                  "--now '" + *global.now + "' is not an ISO 8601 time like 2026-11-23T09:00:00Z");
    now = *t;
  }
  const fs::path file = args.positional()[1];
  std::string message;
  try {
    if (fs::is_directory(file)) throw Error(ErrorKind::kIo, "cannot read " + file.string());
    message = ReadTextFile(file);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kIo) throw;
    throw Error(ErrorKind::kUsage, e.what());
  }

  std::unique_ptr<mime::DkimKeyLookup> keys;
  if (auto key_file = args.Get("key-file")) {
    mime::DkimKeyFileParse parsed = [&] {
      try {
        return mime::DkimKeyFile::Load(*key_file);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::kIo) throw;
        throw Error(ErrorKind::kUsage, e.what());
      }
    }();
    PrintDiagnostics(parsed.diagnostics, false);
    if (parsed.diagnostics.HasErrors()) return kExitUsage;
    keys = std::make_unique<mime::DkimKeyFile>(std::move(parsed.keys));
  } else {
    keys = std::make_unique<mime::DnsDkimKeyLookup>();
  }

  auto results = mime::DkimVerifier(*keys).Verify(message, now);
  if (results.empty()) {
    std::cout << "no DKIM-Signature\n";
    return kExitFailure;
  }
  bool all_pass = true;
  for (const auto& r : results) {
    auto shown = [](const std::string& v) { return v.empty() ? std::string("?") : v; };
    std::cout << mime::ToString(r.status) << " d=" << shown(r.domain) << " s=" << shown(r.selector)
              << " a=" << shown(r.algorithm);
    if (!r.reason.empty()) std::cout << ": " << r.reason;
    std::cout << "\n";
    all_pass = all_pass && r.status == mime::DkimStatus::kPass;
  }
  return all_pass ? kExitOk : kExitFailure;
}

}  // namespace

int CmdDkim(const GlobalOptions& global, const Words& words) {
  Args args(words, {"domain", "selector", "algorithm", "out", "key-file"}, {"help"});
  if (args.Has("help") || args.positional().empty()) {
    std::cout << kDkimHelp;
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  if (args.positional()[0] == "keygen" && args.positional().size() == 1) {
    if (args.Get("key-file"))
      throw Error(ErrorKind::kUsage, "--key-file is for dkim verify, not dkim keygen");
    return Keygen(global, args);
  }
  if (args.positional()[0] == "verify") return Verify(global, args);
  throw Error(ErrorKind::kUsage,
              "unknown dkim command '" + args.positional()[0] + "' (see b2bmail dkim --help)");
}

}  // namespace b2bmail::cli
