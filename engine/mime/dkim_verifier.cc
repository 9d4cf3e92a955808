// RFC 6376 §3.4 (canonicalization), §3.5 (the DKIM-Signature field), §3.6.1 (key
// records), §3.7 (hashes), §5.4.2 (header selection), §6.1 (verifier actions);
// RFC 8301 (rsa-sha256 only, RSA keys of 1024 bits or more); RFC 8463 (ed25519-sha256).
#include "b2bmail/mime/dkim_verifier.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>

#include "b2bmail/base/strings.h"
#include "b2bmail/base/time_format.h"
#include "b2bmail/mime/dkim.h"
#include "b2bmail/mime/dkim_tag_list.h"
#include "b2bmail/mime/header_fields.h"
#include "sha256.h"

namespace b2bmail::mime {
namespace {

enum class Canonicalization { kSimple, kRelaxed };

using PublicKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

bool IsFws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

// Base64 with FWS anywhere in it (§3.5 b=, bh=; §3.6.1 p=). nullopt when malformed.
std::optional<std::string> DecodeBase64(std::string_view text) {
  std::string clean;
  for (char c : text)
    if (!IsFws(c)) clean += c;
  if (clean.size() % 4 != 0) return std::nullopt;
  std::size_t pad = 0;
  while (pad < clean.size() && clean[clean.size() - 1 - pad] == '=') ++pad;
  if (pad > 2) return std::nullopt;
  for (std::size_t i = 0; i + pad < clean.size(); ++i)
    if (!IsBase64Char(clean[i])) return std::nullopt;
  std::string out(clean.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(clean.data()),
                          static_cast<int>(clean.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding as zero bytes.
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

// 1*`max_digits` DIGIT, saturating (l= may have 76 digits). nullopt when not a number.
std::optional<std::uint64_t> ParseDecimal(std::string_view text, std::size_t max_digits) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    unsigned digit = static_cast<unsigned>(c - '0');
    value = value > (UINT64_MAX - digit) / 10 ? UINT64_MAX : value * 10 + digit;
  }
  return value;
}

std::string FieldName(const HeaderField& f) { return base::AsciiLower(base::Trim(f.name)); }

std::string Time(std::uint64_t seconds) {
  return base::FormatIso8601(base::TimePoint(std::chrono::seconds(seconds)));
}

// A key record (§3.6.1) reduced to what the verifier checks.
struct KeyRecord {
  std::string type = "rsa";         // k=
  std::vector<std::string> hashes;  // h=; empty: any
  bool strict_identity = false;     // t=s: i= may not name a subdomain of d=
  std::string key;                  // p=, decoded; empty: revoked
  std::string error;                // why the record is unusable; empty when usable
};

KeyRecord ParseKeyRecord(std::string_view text) {
  KeyRecord r;
  auto tags = ParseDkimTagList(text);
  if (!tags.ok()) {
    r.error = tags.error;
    return r;
  }
  if (const auto* v = tags.Find("v")) {
    if (v->value != "DKIM1") {
      r.error = "v=" + v->value + " is not DKIM1";
      return r;
    }
    if (&tags.tags.front() != v) {
      r.error = "v= is not the first tag";
      return r;
    }
  }
  const auto* p = tags.Find("p");
  if (!p) {
    r.error = "no p= tag";
    return r;
  }
  if (const auto* k = tags.Find("k")) r.type = base::AsciiLower(k->value);
  if (const auto* h = tags.Find("h"))
    for (auto& name : SplitDkimColonList(h->value)) r.hashes.push_back(base::AsciiLower(name));
  if (const auto* s = tags.Find("s")) {
    bool email = false;
    for (const auto& service : SplitDkimColonList(s->value))
      email = email || service == "*" || base::EqualsIgnoreCase(service, "email");
    if (!email) {
      r.error = "s=" + s->value + " does not include email";
      return r;
    }
  }
  if (const auto* t = tags.Find("t"))
    for (const auto& flag : SplitDkimColonList(t->value))
      r.strict_identity = r.strict_identity || flag == "s";
  // t=y (testing) does not change the verdict: §3.6.1 asks receivers to treat such mail
  // like unsigned mail, a policy decision above this check.
  auto key = DecodeBase64(p->value);
  if (!key) {
    r.error = "p= is not valid base64";
    return r;
  }
  r.key = std::move(*key);
  return r;
}

class SignatureCheck {
 public:
  SignatureCheck(const SplitMessage& message, const HeaderField& field, const DkimKeyLookup& keys,
                 const DkimVerifyOptions& options, base::TimePoint now)
      : message_(message), field_(field), keys_(keys), options_(options), now_(now) {}

  DkimSignatureResult Run() {
    value_ = std::string(field_.value);
    tags_ = ParseDkimTagList(value_);
    if (tags_.ok()) {
      result_.domain = Tag("d");
      result_.selector = Tag("s");
      result_.algorithm = Tag("a");
      result_.identity = tags_.Find("i") ? Tag("i") : "@" + result_.domain;
    }
    std::string reason;
    result_.status = Check(reason);
    result_.reason = std::move(reason);
    return std::move(result_);
  }

 private:
  std::string Tag(std::string_view name) const {
    const auto* t = tags_.Find(name);
    return t ? t->value : std::string();
  }

  DkimStatus Check(std::string& reason) {
    auto perm = [&](std::string why) {
      reason = std::move(why);
      return DkimStatus::kPermError;
    };
    auto fail = [&](std::string why) {
      reason = std::move(why);
      return DkimStatus::kFail;
    };
    if (!tags_.ok()) return perm("malformed DKIM-Signature: " + tags_.error);
    for (const char* required : {"v", "a", "b", "bh", "d", "h", "s"})
      if (!tags_.Find(required)) return perm(std::string("no ") + required + "= tag");
    if (Tag("v") != "1") return perm("v=" + Tag("v") + " is not 1");

    const std::string& a = result_.algorithm;
    if (a == "rsa-sha1")
      return fail("rsa-sha1 is refused: SHA-1 signatures are not valid (RFC 8301)");
    if (a != "rsa-sha256" && a != "ed25519-sha256") return perm("unknown algorithm a=" + a);
    bool ed25519 = a == "ed25519-sha256";

    if (const auto* c = tags_.Find("c")) {
      // "relaxed" alone means relaxed headers and a simple body (§3.5 c=).
      std::size_t slash = c->value.find('/');
      auto parse = [](std::string_view text) -> std::optional<Canonicalization> {
        if (text == "simple") return Canonicalization::kSimple;
        if (text == "relaxed") return Canonicalization::kRelaxed;
        return std::nullopt;
      };
      auto header = parse(std::string_view(c->value).substr(0, slash));
      auto body = slash == std::string::npos ? std::optional(Canonicalization::kSimple)
                                             : parse(std::string_view(c->value).substr(slash + 1));
      if (!header || !body) return perm("unknown canonicalization c=" + c->value);
      header_canon_ = *header;
      body_canon_ = *body;
    }
    if (const auto* q = tags_.Find("q")) {
      bool dns = false;
      for (const auto& method : SplitDkimColonList(q->value)) dns = dns || method == "dns/txt";
      if (!dns) return perm("unknown query method q=" + q->value);
    }
    signed_headers_ = SplitDkimColonList(Tag("h"));
    bool from = false;
    for (const auto& name : signed_headers_) {
      if (name.empty()) return perm("h= holds an empty header name");
      from = from || base::EqualsIgnoreCase(name, "from");
    }
    if (!from) return perm("h= does not include From (RFC 6376 §5.4)");

    const std::string d = base::AsciiLower(result_.domain);
    if (d.empty()) return perm("d= is empty");
    if (result_.selector.empty()) return perm("s= is empty");
    std::string identity_domain = d;
    if (tags_.Find("i")) {
      std::size_t at = result_.identity.rfind('@');
      if (at == std::string::npos) return perm("i=" + result_.identity + " has no @");
      identity_domain = base::AsciiLower(result_.identity.substr(at + 1));
      if (identity_domain != d && !identity_domain.ends_with("." + d))
        return perm("i=" + result_.identity + " is not in d=" + result_.domain +
                    " or a subdomain of it");
    }

    std::optional<std::uint64_t> length, t, x;
    if (tags_.Find("l") && !(length = ParseDecimal(Tag("l"), 76)))
      return perm("l=" + Tag("l") + " is not a number");
    if (tags_.Find("t") && !(t = ParseDecimal(Tag("t"), 12)))
      return perm("t=" + Tag("t") + " is not a number");
    if (tags_.Find("x") && !(x = ParseDecimal(Tag("x"), 12)))
      return perm("x=" + Tag("x") + " is not a number");
    if (t && x && *x <= *t) return perm("x= (" + Time(*x) + ") is not after t= (" + Time(*t) + ")");
    auto now = static_cast<std::uint64_t>(std::max<long long>(0, now_.time_since_epoch().count()));
    if (x && now > *x) return fail("signature expired at " + Time(*x));
    if (t && *t > now + static_cast<std::uint64_t>(options_.clock_skew.count()))
      return fail("t= (" + Time(*t) + ") lies in the future");

    auto body_hash = DecodeBase64(Tag("bh"));
    if (!body_hash || body_hash->empty()) return perm("bh= is not valid base64");
    auto signature = DecodeBase64(Tag("b"));
    if (!signature || signature->empty()) return perm("b= is not valid base64");

    // The key (§6.1.2).
    std::string name = result_.selector + "._domainkey." + result_.domain;
    auto found = keys_.Lookup(name);
    if (found.outcome == DkimKeyRecords::Outcome::kNotFound) {
      reason = found.detail;
      return DkimStatus::kKeyNotFound;
    }
    if (found.outcome == DkimKeyRecords::Outcome::kTemporaryFailure) {
      reason = found.detail;
      return DkimStatus::kTempError;
    }
    // Several records at one name are undefined (§3.6.2.2): the first usable one counts.
    KeyRecord record;
    for (const auto& text : found.records) {
      record = ParseKeyRecord(text);
      if (record.error.empty()) break;
    }
    if (!record.error.empty()) return perm("key record at " + name + ": " + record.error);
    if (record.key.empty()) return fail("key revoked (empty p= at " + name + ")");
    if (record.type != "rsa" && record.type != "ed25519")
      return perm("key record at " + name + ": unknown key type k=" + record.type);
    if ((record.type == "ed25519") != ed25519)
      return perm("key record at " + name + " is k=" + record.type + ", not for a=" + a);
    if (!record.hashes.empty() &&
        std::find(record.hashes.begin(), record.hashes.end(), "sha256") == record.hashes.end())
      return perm("key record at " + name + " does not allow sha256 (h=)");
    if (record.strict_identity && identity_domain != d)
      return perm("key record at " + name + " has t=s but i= names a subdomain");

    PublicKey key(nullptr, EVP_PKEY_free);
    if (ed25519) {
      if (record.key.size() != 32)
        return perm("key record at " + name + ": p= is not a 32-byte Ed25519 key");
      key.reset(EVP_PKEY_new_raw_public_key(
          EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(record.key.data()),
          record.key.size()));
    } else {
      // p= is a DER SubjectPublicKeyInfo (§3.6.1).
      const auto* der = reinterpret_cast<const unsigned char*>(record.key.data());
      key.reset(d2i_PUBKEY(nullptr, &der, static_cast<long>(record.key.size())));
      if (key && EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) key.reset();
    }
    if (!key) {
      ERR_clear_error();
      return perm("key record at " + name + ": p= is not an " + (ed25519 ? "Ed25519" : "RSA") +
                  " public key");
    }
    if (!ed25519 && EVP_PKEY_get_bits(key.get()) < 1024)
      return fail("RSA key of " + std::to_string(EVP_PKEY_get_bits(key.get())) +
                  " bits is too short (RFC 8301: 1024 or more)");

    // The body hash (§3.7).
    std::string body = body_canon_ == Canonicalization::kSimple ? SimpleBody(message_.body)
                                                                : RelaxedBody(message_.body);
    std::size_t full_length = body.size();
    if (length) {
      if (*length > body.size())
        return fail("l=" + Tag("l") + " is longer than the body (" + std::to_string(body.size()) +
                    " canonical bytes)");
      body.resize(static_cast<std::size_t>(*length));
    }
    if (Sha256Digest(body) != *body_hash) return fail("body hash mismatch");

    // The signature over the selected header fields and this field without its b= (§3.7).
    std::string data = SignedHeaderData();
    bool verified = Verify(key.get(), ed25519, data, *signature);
    int from_fields = 0;
    for (const auto& f : message_.fields) from_fields += FieldName(f) == "from";
    std::string froms = std::to_string(from_fields) + " From fields";
    if (!verified)
      return fail(from_fields > 1
                      ? "signature does not verify (" + froms + ": one was added after signing)"
                      : "signature does not verify");
    if (from_fields > 1) return fail(froms + ": the signed one may not be the one readers see");
    if (length)
      return fail(*length == full_length
                      ? "l= tag present: the body is signed in full today, but anything "
                        "appended to it later would still pass"
                      : "l= tag present: only " + Tag("l") + " of " + std::to_string(full_length) +
                            " canonical body bytes are signed");
    return DkimStatus::kPass;
  }

  std::string SignedHeaderData() const {
    std::string data;
    // Each name takes the next instance from the bottom up; a name listed more often
    // than it appears adds nothing ("over-signed", §5.4.2).
    std::map<std::string, int> used;
    for (const auto& name : signed_headers_) {
      std::string lower = base::AsciiLower(name);
      int skip = used[lower]++;
      for (auto it = message_.fields.rbegin(); it != message_.fields.rend(); ++it) {
        if (FieldName(*it) != lower || skip-- > 0) continue;
        if (header_canon_ == Canonicalization::kRelaxed) {
          data += RelaxedHeader(it->name, it->value) + "\r\n";
        } else {
          data += it->raw;
          if (!it->raw.ends_with("\r\n")) data += "\r\n";  // the last line of a bodiless message
        }
        break;
      }
    }
    // b= loses its value and the whitespace around it; the field has no final CRLF.
    const DkimTag* b = tags_.Find("b");
    std::string blanked = value_.substr(0, b->value_begin) + value_.substr(b->value_end);
    if (header_canon_ == Canonicalization::kRelaxed)
      data += RelaxedHeader(field_.name, blanked);
    else
      data += std::string(field_.name) + ":" + blanked;
    return data;
  }

  static bool Verify(EVP_PKEY* key, bool ed25519, const std::string& data,
                     const std::string& signature) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    bool ok = false;
    const auto* sig = reinterpret_cast<const unsigned char*>(signature.data());
    if (ed25519) {
      // RFC 8463: the Ed25519 message is the SHA-256 hash of the canonical data.
      std::string digest = Sha256Digest(data);
      ok = EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key) == 1 &&
           EVP_DigestVerify(ctx, sig, signature.size(),
                            reinterpret_cast<const unsigned char*>(digest.data()),
                            digest.size()) == 1;
    } else {
      // RSASSA-PKCS1-v1_5 with SHA-256, OpenSSL's default padding.
      ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
           EVP_DigestVerify(ctx, sig, signature.size(),
                            reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
    }
    EVP_MD_CTX_free(ctx);
    // A failed verification leaves reasons on OpenSSL's per-thread queue; they are
    // reported as the result, and must not surface in an unrelated later call.
    ERR_clear_error();
    return ok;
  }

  const SplitMessage& message_;
  const HeaderField& field_;
  const DkimKeyLookup& keys_;
  const DkimVerifyOptions& options_;
  base::TimePoint now_;

  std::string value_;
  DkimTagList tags_;
  std::vector<std::string> signed_headers_;
  Canonicalization header_canon_ = Canonicalization::kSimple;
  Canonicalization body_canon_ = Canonicalization::kSimple;
  DkimSignatureResult result_;
};

}  // namespace

std::string_view ToString(DkimStatus status) {
  switch (status) {
    case DkimStatus::kPass:
      return "pass";
    case DkimStatus::kFail:
      return "fail";
    case DkimStatus::kPermError:
      return "permerror";
    case DkimStatus::kTempError:
      return "temperror";
    case DkimStatus::kKeyNotFound:
      return "key-not-found";
  }
  return "permerror";
}

DkimVerifier::DkimVerifier(const DkimKeyLookup& keys, DkimVerifyOptions options)
    : keys_(keys), options_(options) {}

std::vector<DkimSignatureResult> DkimVerifier::Verify(std::string_view message,
                                                      base::TimePoint now) const {
  std::string text = WithCrlfLineEnds(message);
  SplitMessage split = SplitHeaderAndBody(text);
  std::vector<DkimSignatureResult> results;
  for (const auto& field : split.fields)
    if (FieldName(field) == "dkim-signature")
      results.push_back(SignatureCheck(split, field, keys_, options_, now).Run());
  return results;
}

std::string SimpleBody(std::string_view body) {
  std::string out(body);
  if (!out.ends_with("\r\n")) out += "\r\n";
  while (out.ends_with("\r\n\r\n")) out.resize(out.size() - 2);
  return out;
}

std::string WithCrlfLineEnds(std::string_view message) {
  std::string out;
  out.reserve(message.size() + message.size() / 32);
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '\n' && (i == 0 || message[i - 1] != '\r')) out += '\r';
    out += message[i];
  }
  return out;
}

}  // namespace b2bmail::mime
