#pragma once
// One RSA-2048 and one Ed25519 key for the whole mime test binary (RSA key generation is
// slow), at lumetra.example with selectors rsa2026 and ed2026, and the header block the
// DKIM tests sign: every field of DefaultSignedHeaders, with non-ASCII and whitespace.

#include <string>
#include <utility>
#include <vector>

#include "b2bmail/mime/dkim.h"

namespace b2bmail::testing {

struct TestKeys {
  std::string rsa_pem = mime::GenerateDkimPrivateKey(mime::DkimAlgorithm::kRsaSha256);
  std::string ed_pem = mime::GenerateDkimPrivateKey(mime::DkimAlgorithm::kEd25519Sha256);
  mime::DkimKey Rsa() const {
    return mime::DkimKey::FromPem("lumetra.example", "rsa2026", mime::DkimAlgorithm::kRsaSha256,
                                  rsa_pem, "rsa");
  }
  mime::DkimKey Ed() const {
    return mime::DkimKey::FromPem("lumetra.example", "ed2026", mime::DkimAlgorithm::kEd25519Sha256,
                                  ed_pem, "ed");
  }
};

inline const TestKeys& TheTestKeys() {
  static const TestKeys keys;
  return keys;
}

inline const std::string kSignedHeaderBlock =
    "From: =?UTF-8?B?THVtZXRyYSDDlnZlbnRz?= <events@lumetra.example>\r\n"
    "To: \"Jörg Böhm\" <joerg@acme.example>\r\n"
    "Subject: =?UTF-8?B?UHLDvGZ1bmcgICBtaXQgICBMZWVyemVpY2hlbg==?=\r\n"
    "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
    "Message-ID: <abc123@lumetra.example>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "List-Unsubscribe: <https://t.lumetra.example/u/opaque>\r\n"
    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
    "Feedback-ID: q4:dach:invite:lumetra\r\n";

// Bodies that canonicalization gets wrong in real signers (deliverability.md §3): each
// signature test signs every one of them.
inline const std::vector<std::pair<const char*, std::string>> kSignedBodies = {
    {"ascii", "Hello,\r\nthe webinar starts at 10:00.\r\n"},
    {"non-ascii", "Grüße aus Hamburg – Łódź – 東京\r\n"},
    {"empty", ""},
    {"no final CRLF", "last line without a line end"},
    {"trailing spaces", "spaces at the end   \r\n\ttabs\t\t\r\n\r\n\r\n"},
    {"long line", std::string(990, 'x') + "\r\n"},
};

}  // namespace b2bmail::testing
