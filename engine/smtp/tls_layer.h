#pragma once
// TLS for STARTTLS (RFC 3207) over OpenSSL memory BIOs: the event loop moves the
// ciphertext between the socket and this object, so TLS never blocks and never owns
// the socket. OpenSSL directly rather than POCO NetSSL: POCO's SecureStreamSocket
// wants to own a blocking socket, and the session starts in plain text.

#include <memory>
#include <string>
#include <string_view>

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;
typedef struct bio_st BIO;

namespace b2bmail::smtp {

// The two client contexts, made once per engine. Thread-compatible after construction.
class TlsContexts {
 public:
  TlsContexts();  // throws Error{kInternal} when OpenSSL cannot make a context
  ~TlsContexts();
  TlsContexts(const TlsContexts&) = delete;
  TlsContexts& operator=(const TlsContexts&) = delete;
  // kVerify: the system trust store and host-name checks. Otherwise nothing is checked:
  // opportunistic TLS to MX hosts with self-signed certificates beats plain text.
  SSL_CTX* Get(bool verify) const { return verify ? verifying_ : lenient_; }

 private:
  SSL_CTX* verifying_ = nullptr;
  SSL_CTX* lenient_ = nullptr;
};

class TlsLayer {
 public:
  enum class Status { kInProgress, kEstablished, kFailed };

  // `server_name` goes in SNI and, when verifying, must match the certificate.
  TlsLayer(SSL_CTX* context, const std::string& server_name, bool verify);
  ~TlsLayer();
  TlsLayer(const TlsLayer&) = delete;
  TlsLayer& operator=(const TlsLayer&) = delete;

  // Ciphertext from the socket.
  void FeedCiphertext(std::string_view bytes);
  // Runs the handshake as far as the input allows.
  Status Handshake();
  // Decrypts what it can into `plain` (appends). Returns false when the peer closed the
  // TLS session or it failed (error() says which).
  bool ReadPlaintext(std::string& plain);
  // Encrypts `plain`; the ciphertext becomes available to TakeCiphertext.
  bool WritePlaintext(std::string_view plain);
  // Appends the ciphertext waiting to go to the socket to `out`.
  void TakeCiphertext(std::string& out);
  const std::string& error() const { return error_; }

 private:
  std::string LastError(int result);

  SSL* ssl_ = nullptr;
  BIO* in_ = nullptr;   // socket -> OpenSSL
  BIO* out_ = nullptr;  // OpenSSL -> socket
  bool verify_ = false;
  std::string error_;
};

}  // namespace b2bmail::smtp
