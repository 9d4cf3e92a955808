#include "b2bmail/mime/dkim.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"
#include "b2bmail/mime/body_encoding.h"
#include "b2bmail/mime/header_fields.h"
#include "relaxed_canonicalization.h"
#include "sha256.h"

namespace b2bmail::mime {
namespace {

std::string_view AlgorithmName(DkimAlgorithm a) {
  return a == DkimAlgorithm::kRsaSha256 ? "rsa-sha256" : "ed25519-sha256";
}

// The DKIM-Signature value folded so that no line exceeds 78 characters: between tags,
// after the colons of h= (RFC 6376 allows FWS there), and anywhere inside the base64 of
// bh= and b= (whitespace in them is ignored), never inside a header name. Appended to
// `out` (twice per signature: for the signed data, then for the field).
void AppendFoldedSignature(std::string& out, std::string_view value) {
  constexpr std::size_t kWidth = 76;
  const std::size_t start = out.size();
  out.reserve(start + value.size() + value.size() / 40 * 3 + 16);
  std::size_t line = std::string_view("DKIM-Signature: ").size();
  auto fold = [&] {
    out += "\r\n\t";
    line = 1;
  };
  std::size_t pos = 0;
  while (pos < value.size()) {
    std::size_t end = value.find("; ", pos);
    const bool last = end == std::string_view::npos;
    std::string_view tag = value.substr(pos, last ? std::string_view::npos : end - pos);
    pos = last ? value.size() : end + 2;
    if (out.size() > start) {
      if (line + 1 + std::min<std::size_t>(tag.size(), 20) > kWidth)
        fold();
      else {
        out += ' ';
        ++line;
      }
    }
    bool base64 = tag.starts_with("b=") || tag.starts_with("bh=");
    bool names = tag.starts_with("h=");
    // Pieces that may not be split: a header name (with its colon) in h=, one character
    // of base64, or the whole of any other tag.
    std::size_t i = 0;
    while (i < tag.size()) {
      std::size_t n = tag.size() - i;
      if (base64) {
        // As much base64 as the line holds, at once.
        if (line >= kWidth) fold();
        n = std::min(n, kWidth - line);
      }
      if (names) {
        std::size_t colon = tag.find(':', i);
        n = (colon == std::string_view::npos ? tag.size() : colon + 1) - i;
      }
      if (line + n > kWidth && line > 1) fold();
      out.append(tag.substr(i, n));
      line += n;
      i += n;
    }
    if (!last) {
      out += ';';
      ++line;
    }
  }
}

}  // namespace

struct DkimKey::Impl {
  EVP_PKEY* key = nullptr;
  // A signing context set up once (EVP_DigestSignInit looks the algorithms up in the
  // provider registry under a lock, about 2 us per call); each signature signs on a copy
  // of it, which only reads it, so concurrent signers may share it.
  EVP_MD_CTX* prepared = nullptr;
  ~Impl() {
    EVP_MD_CTX_free(prepared);
    EVP_PKEY_free(key);
  }
};

DkimKey::DkimKey() : impl_(std::make_unique<Impl>()) {}
DkimKey::DkimKey(DkimKey&&) noexcept = default;
DkimKey& DkimKey::operator=(DkimKey&&) noexcept = default;
DkimKey::~DkimKey() = default;

DkimKey DkimKey::FromPem(std::string domain, std::string selector, DkimAlgorithm algorithm,
                         std::string_view pem, const std::string& what) {
  DkimKey k;
  k.domain_ = std::move(domain);
  k.selector_ = std::move(selector);
  k.algorithm_ = algorithm;
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  k.impl_->key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (!k.impl_->key) throw Error(ErrorKind::kConfig, what + ": not a PEM private key");
  int type = EVP_PKEY_get_base_id(k.impl_->key);
  if (algorithm == DkimAlgorithm::kRsaSha256) {
    if (type != EVP_PKEY_RSA)
      throw Error(ErrorKind::kConfig, what + ": not an RSA key (algorithm rsa)");
    if (EVP_PKEY_get_bits(k.impl_->key) < 2048)
      throw Error(ErrorKind::kConfig, what +
                                          ": RSA keys shorter than 2048 bits are refused by "
                                          "receivers (RFC 8301); generate a new one");
  } else if (type != EVP_PKEY_ED25519) {
    throw Error(ErrorKind::kConfig, what + ": not an Ed25519 key (algorithm ed25519)");
  }
  // A damaged file can still parse (a flipped bit in the modulus) and then fail every
  // signature at send time; find out now, before anything is queued.
  EVP_PKEY_CTX* check = EVP_PKEY_CTX_new_from_pkey(nullptr, k.impl_->key, nullptr);
  bool consistent = check && EVP_PKEY_pairwise_check(check) == 1;
  EVP_PKEY_CTX_free(check);
  if (!consistent)
    throw Error(ErrorKind::kConfig,
                what + ": the private key is damaged (its parts do not match); generate a new one");
  k.impl_->prepared = EVP_MD_CTX_new();
  // rsa-sha256: PKCS#1 v1.5 over SHA-256; Ed25519 takes no digest (RFC 8463 hashes first).
  const EVP_MD* md = algorithm == DkimAlgorithm::kRsaSha256 ? EVP_sha256() : nullptr;
  if (!k.impl_->prepared ||
      EVP_DigestSignInit(k.impl_->prepared, nullptr, md, nullptr, k.impl_->key) != 1)
    throw Error(ErrorKind::kConfig, what + ": OpenSSL cannot sign with this key");
  return k;
}

DkimKey DkimKey::FromFile(std::string domain, std::string selector, DkimAlgorithm algorithm,
                          const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kConfig, "cannot read DKIM key " + path);
  std::stringstream pem;
  pem << in.rdbuf();
  return FromPem(std::move(domain), std::move(selector), algorithm, pem.str(), path);
}

std::string DkimKey::DnsRecord() const {
  if (algorithm_ == DkimAlgorithm::kEd25519Sha256) {
    unsigned char raw[32];
    std::size_t size = sizeof raw;
    EVP_PKEY_get_raw_public_key(impl_->key, raw, &size);
    return "v=DKIM1; k=ed25519; p=" +
           EncodeBase64(std::string_view(reinterpret_cast<const char*>(raw), size));
  }
  unsigned char* der = nullptr;
  int size = i2d_PUBKEY(impl_->key, &der);  // SubjectPublicKeyInfo, as RFC 6376 §3.6.1 wants
  std::string p = EncodeBase64(
      std::string_view(reinterpret_cast<const char*>(der), static_cast<std::size_t>(size)));
  OPENSSL_free(der);
  return "v=DKIM1; k=rsa; p=" + p;
}

std::string GenerateDkimPrivateKey(DkimAlgorithm algorithm) {
  EVP_PKEY* key = algorithm == DkimAlgorithm::kRsaSha256
                      ? EVP_RSA_gen(2048)
                      : EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (!key) throw Error(ErrorKind::kInternal, "key generation failed");
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  EVP_PKEY_free(key);
  return pem;
}

std::vector<std::string> DefaultSignedHeaders() {
  return {"From",
          "From",
          "To",
          "Subject",
          "Date",
          "Message-ID",
          "MIME-Version",
          "Content-Type",
          "List-Unsubscribe",
          "List-Unsubscribe",
          "List-Unsubscribe-Post",
          "List-Unsubscribe-Post",
          "Feedback-ID"};
}

DkimSigner::DkimSigner(std::vector<DkimKey> keys, std::vector<std::string> signed_headers)
    : keys_(std::move(keys)), headers_(std::move(signed_headers)) {
  // What every signature repeats: the h= list, and for each entry its lower-cased name
  // and how many instances of that name come before it in the list.
  std::map<std::string, int> seen;
  for (const auto& name : headers_) {
    h_ += (h_.empty() ? "" : ":") + name;
    lower_headers_.push_back(base::AsciiLower(name));
    skips_.push_back(seen[lower_headers_.back()]++);
  }
}

std::string DkimSigner::Sign(const std::string& message, base::TimePoint now) const {
  auto split = SplitHeaderAndBody(message);
  const auto& fields = split.fields;
  std::vector<std::string_view> names;  // each field's name, trimmed once
  names.reserve(fields.size());
  for (const auto& f : fields) names.push_back(base::Trim(f.name));
  // RFC 6376 §5.4: From MUST be signed; a signature without it is worthless (permerror).
  if (std::none_of(names.begin(), names.end(),
                   [](std::string_view n) { return base::EqualsIgnoreCase(n, "from"); }))
    throw Error(ErrorKind::kUsage, "a message without a From field cannot be DKIM-signed");
  std::string body_hash = RelaxedBodySha256(split.body);
  std::string bh = EncodeBase64(body_hash);
  long long t = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();

  // The canonicalized fields named by h=, each instance taken from the bottom up; a name
  // listed more often than it appears signs "no further instance" (RFC 6376 §5.4.2).
  std::string signed_fields;
  signed_fields.reserve(1024);
  for (std::size_t k = 0; k < lower_headers_.size(); ++k) {
    int skip = skips_[k];
    for (std::size_t i = fields.size(); i-- > 0;) {
      if (!base::EqualsIgnoreCase(names[i], lower_headers_[k])) continue;
      if (skip-- > 0) continue;
      AppendRelaxedHeader(signed_fields, fields[i].name, fields[i].value);
      signed_fields += "\r\n";
      break;
    }
  }
  const std::string& h = h_;

  std::string headers;
  std::string value, data, folded;  // reused for each key
  for (const auto& key : keys_) {
    value.clear();
    value.reserve(160 + h_.size() + key.domain().size() + key.selector().size());
    value += "v=1; a=";
    value += AlgorithmName(key.algorithm());
    value += "; c=relaxed/relaxed; d=";
    value += key.domain();
    value += "; s=";
    value += key.selector();
    value += "; t=";
    value += std::to_string(t);
    value += "; h=";
    value += h;
    value += "; bh=";
    value += bh;
    value += "; b=";
    folded.clear();
    AppendFoldedSignature(folded, value);
    data = signed_fields;
    AppendRelaxedHeader(data, "DKIM-Signature", folded);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::string signature;
    bool ok = ctx && EVP_MD_CTX_copy_ex(ctx, key.impl_->prepared) == 1;
    // RSA signs the canonical data (PKCS#1 v1.5 over its SHA-256); RFC 8463: Ed25519
    // signs the SHA-256 hash of the canonical data.
    std::string digest =
        key.algorithm() == DkimAlgorithm::kRsaSha256 ? std::string() : Sha256Digest(data);
    std::string_view input = key.algorithm() == DkimAlgorithm::kRsaSha256
                                 ? std::string_view(data)
                                 : std::string_view(digest);
    std::size_t size = 0;
    ok = ok && EVP_DigestSign(ctx, nullptr, &size, nullptr, 0) == 1;
    signature.resize(size);
    ok = ok &&
         EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &size,
                        reinterpret_cast<const unsigned char*>(input.data()), input.size()) == 1;
    signature.resize(size);
    EVP_MD_CTX_free(ctx);
    if (!ok) throw Error(ErrorKind::kInternal, "DKIM signing failed for " + key.domain());
    value += EncodeBase64(signature);
    headers += "DKIM-Signature: ";
    AppendFoldedSignature(headers, value);
    headers += "\r\n";
  }
  std::string signed_message;
  signed_message.reserve(headers.size() + message.size());
  signed_message += headers;
  signed_message += message;
  return signed_message;
}

}  // namespace b2bmail::mime
