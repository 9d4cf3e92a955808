#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "args.h"
#include "b2bmail/base/error.h"
#include "b2bmail/mime/dkim.h"
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

}  // namespace

int CmdDkim(const GlobalOptions& global, const Words& words) {
  Args args(words, {"domain", "selector", "algorithm", "out"}, {"help"});
  if (args.Has("help") || args.positional().empty()) {
    std::cout << kDkimHelp;
    return args.Has("help") ? kExitOk : kExitUsage;
  }
  if (args.positional()[0] == "keygen" && args.positional().size() == 1)
    return Keygen(global, args);
  throw Error(ErrorKind::kUsage,
              "unknown dkim command '" + args.positional()[0] + "' (see b2bmail dkim --help)");
}

}  // namespace b2bmail::cli
