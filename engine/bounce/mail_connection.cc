#include "mail_connection.h"

#include <curl/curl.h>
#include <poll.h>

#include <mutex>

namespace b2bmail::bounce {
namespace {

constexpr std::size_t kMaxLine = 16 << 20;

CURL* Handle(void* p) { return static_cast<CURL*>(p); }

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

MailConnection::MailConnection(const MailboxUrl& url, const std::string& password,
                               const MailboxOptions& options)
    : name_(url.name),
      timeout_ms_(static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(options.timeout).count())) {
  GlobalInit();
  curl_.reset(curl_easy_init());
  if (!curl_) Fail(ErrorKind::kInternal, "libcurl could not start");
  CURL* c = Handle(curl_.get());
  std::string server = url.ServerUrl();
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(c, CURLOPT_URL, server.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "imap,imaps,pop3,pop3s");
  curl_easy_setopt(c, CURLOPT_USERNAME, url.user.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, password.c_str());
  curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_ms_));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms_));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  if (!options.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options.ca_file.c_str());
  if (!options.verify_tls) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  CURLcode rc = curl_easy_perform(c);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
  std::string detail = error[0] ? error : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_OK:
      return;
    case CURLE_LOGIN_DENIED:
      Fail(ErrorKind::kNetwork, "login denied");
    case CURLE_PEER_FAILED_VERIFICATION:
      Fail(ErrorKind::kNetwork, "certificate not trusted: " + detail);
    case CURLE_SSL_CACERT_BADFILE:
      Fail(ErrorKind::kConfig, "cannot use the CA file " + options.ca_file + ": " + detail);
    case CURLE_COULDNT_RESOLVE_HOST:
      Fail(ErrorKind::kNetwork, "cannot resolve " + url.host);
    case CURLE_COULDNT_CONNECT:
      Fail(ErrorKind::kNetwork, "cannot connect: " + detail);
    case CURLE_OPERATION_TIMEDOUT:
      Fail(ErrorKind::kNetwork, "no answer within " + std::to_string(timeout_ms_ / 1000) + " s");
    case CURLE_SSL_CONNECT_ERROR:
      Fail(ErrorKind::kNetwork, "TLS handshake failed: " + detail);
    case CURLE_WEIRD_SERVER_REPLY:
      Fail(ErrorKind::kProtocol, "unexpected reply: " + detail);
    default:
      Fail(ErrorKind::kNetwork, detail);
  }
}

void MailConnection::CurlCleanup::operator()(void* curl) const { curl_easy_cleanup(Handle(curl)); }

void MailConnection::Fail(ErrorKind kind, const std::string& what) const {
  throw Error(kind, name_ + ": " + what);
}

void MailConnection::SendLine(std::string_view line) {
  std::string data(line);
  data += "\r\n";
  std::size_t done = 0;
  while (done < data.size()) {
    std::size_t sent = 0;
    CURLcode rc =
        curl_easy_send(Handle(curl_.get()), data.data() + done, data.size() - done, &sent);
    if (rc == CURLE_AGAIN) {
      curl_socket_t socket = CURL_SOCKET_BAD;
      curl_easy_getinfo(Handle(curl_.get()), CURLINFO_ACTIVESOCKET, &socket);
      pollfd p{socket, POLLOUT, 0};
      if (::poll(&p, 1, timeout_ms_) <= 0) Fail(ErrorKind::kNetwork, "timed out sending");
      continue;
    }
    if (rc != CURLE_OK)
      Fail(ErrorKind::kNetwork, std::string("connection lost: ") + curl_easy_strerror(rc));
    done += sent;
  }
}

void MailConnection::Fill() {
  char chunk[16384];
  for (;;) {
    std::size_t got = 0;
    // Try first: TLS may hold decrypted bytes while the socket has nothing to read.
    CURLcode rc = curl_easy_recv(Handle(curl_.get()), chunk, sizeof chunk, &got);
    if (rc == CURLE_OK) {
      if (got == 0) Fail(ErrorKind::kNetwork, "the server closed the connection");
      buffer_.append(chunk, got);
      return;
    }
    if (rc != CURLE_AGAIN)
      Fail(ErrorKind::kNetwork, std::string("connection lost: ") + curl_easy_strerror(rc));
    curl_socket_t socket = CURL_SOCKET_BAD;
    curl_easy_getinfo(Handle(curl_.get()), CURLINFO_ACTIVESOCKET, &socket);
    pollfd p{socket, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms_) <= 0)
      Fail(ErrorKind::kNetwork, "no answer within " + std::to_string(timeout_ms_ / 1000) + " s");
  }
}

std::string MailConnection::ReadLine() {
  std::size_t searched = 0;
  for (;;) {
    auto end = buffer_.find('\n', searched);
    if (end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    if (buffer_.size() > kMaxLine) Fail(ErrorKind::kProtocol, "a reply line over 16 MiB");
    searched = buffer_.size();
    Fill();
  }
}

std::string MailConnection::ReadBytes(std::size_t count) {
  while (buffer_.size() < count) Fill();
  std::string bytes = buffer_.substr(0, count);
  buffer_.erase(0, count);
  return bytes;
}

}  // namespace b2bmail::bounce
