#include "tls_layer.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "b2bmail/base/error.h"

namespace b2bmail::smtp {
namespace {

std::string OpenSslErrors() {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text;
}

SSL_CTX* NewClientContext(bool verify) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  if (!ctx) throw Error(ErrorKind::kInternal, "cannot create a TLS context: " + OpenSslErrors());
  if (verify) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
    if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
      SSL_CTX_free(ctx);
      throw Error(ErrorKind::kInternal, "cannot load the system's trusted certificates");
    }
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  // Sessions are cached per host by OpenSSL only with a session id context we do not
  // keep; each connection does a full handshake.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  return ctx;
}

}  // namespace

TlsContexts::TlsContexts() {
  verifying_ = NewClientContext(true);
  try {
    lenient_ = NewClientContext(false);
  } catch (...) {
    SSL_CTX_free(verifying_);
    throw;
  }
}

TlsContexts::~TlsContexts() {
  SSL_CTX_free(verifying_);
  SSL_CTX_free(lenient_);
}

TlsLayer::TlsLayer(SSL_CTX* context, const std::string& server_name, bool verify)
    : verify_(verify) {
  ssl_ = SSL_new(context);
  in_ = BIO_new(BIO_s_mem());
  out_ = BIO_new(BIO_s_mem());
  if (!ssl_ || !in_ || !out_) {
    if (in_) BIO_free(in_);
    if (out_) BIO_free(out_);
    if (ssl_) SSL_free(ssl_);
    throw Error(ErrorKind::kInternal, "cannot start TLS: " + OpenSslErrors());
  }
  // A memory BIO with no data says "retry", not "end of file".
  BIO_set_mem_eof_return(in_, -1);
  SSL_set_bio(ssl_, in_, out_);  // ssl_ owns both now
  SSL_set_connect_state(ssl_);
  bool is_name =
      !server_name.empty() && server_name.find_first_not_of("0123456789.:") != std::string::npos;
  if (is_name) SSL_set_tlsext_host_name(ssl_, server_name.c_str());
  if (verify) SSL_set1_host(ssl_, server_name.c_str());
}

TlsLayer::~TlsLayer() { SSL_free(ssl_); }

std::string TlsLayer::LastError(int result) {
  int code = SSL_get_error(ssl_, result);
  std::string text = OpenSslErrors();
  if (verify_) {
    long verify = SSL_get_verify_result(ssl_);
    if (verify != X509_V_OK) {
      text =
          std::string("certificate verification failed: ") + X509_verify_cert_error_string(verify);
    }
  }
  if (text.empty()) {
    text = code == SSL_ERROR_ZERO_RETURN ? "the peer closed the TLS session"
                                         : "TLS error " + std::to_string(code);
  }
  return text;
}

void TlsLayer::FeedCiphertext(std::string_view bytes) {
  BIO_write(in_, bytes.data(), static_cast<int>(bytes.size()));
}

TlsLayer::Status TlsLayer::Handshake() {
  ERR_clear_error();
  int result = SSL_do_handshake(ssl_);
  if (result == 1) return Status::kEstablished;
  int code = SSL_get_error(ssl_, result);
  if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) return Status::kInProgress;
  error_ = LastError(result);
  return Status::kFailed;
}

bool TlsLayer::ReadPlaintext(std::string& plain) {
  char buffer[16384];
  for (;;) {
    ERR_clear_error();
    int n = SSL_read(ssl_, buffer, sizeof buffer);
    if (n > 0) {
      plain.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    int code = SSL_get_error(ssl_, n);
    if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) return true;
    error_ = LastError(n);
    return false;
  }
}

bool TlsLayer::WritePlaintext(std::string_view plain) {
  while (!plain.empty()) {
    ERR_clear_error();
    int n = SSL_write(ssl_, plain.data(), static_cast<int>(plain.size()));
    if (n <= 0) {
      error_ = LastError(n);
      return false;
    }
    plain.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void TlsLayer::TakeCiphertext(std::string& out) {
  char* data = nullptr;
  long size = BIO_get_mem_data(out_, &data);
  if (size > 0) out.append(data, static_cast<std::size_t>(size));
  (void)BIO_reset(out_);
}

}  // namespace b2bmail::smtp
