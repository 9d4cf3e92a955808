// Mail.Ru's bounces: a Russian paragraph, then Exim's English text after a row of
// stars. The English list is read (the Russian one may give a bare local part); the
// X-Failed-Recipients header is the fallback.
//
//   К сожалению, Ваше письмо не может быть доставлено одному или нескольким получателям:
//     anna
//   **********************
//   ... The following address(es) failed:
//     anna@example.com
//       SMTP error from remote mail server after RCPT TO:<anna@example.com>:
//       host mx.example.com [192.0.2.1]: 550 5.1.1 <anna@example.com>... User Unknown
//   ------ This is a copy of the message, including all the headers. ------
#include "vendor_parsers.h"

namespace b2bmail::bounce {

bool ParseMailRu(const BounceMessage& message, BounceReport& report) {
  if (message.from.find("mail.ru") == std::string::npos &&
      !ContainsIgnoreCase(message.notice, "Mail.Ru"))
    return false;
  std::string_view notice = message.notice;
  std::size_t list = AfterLineWith(notice, "The following address(es) failed:");
  if (list == std::string_view::npos) list = AfterLineWith(notice, "не может быть доставлено");
  if (list == std::string_view::npos) return false;
  auto listed = ListedRecipients(
      notice.substr(list), {"------ This is a copy of the message", "Рекомендуем Вам проверить"});
  for (ListedRecipient& r : listed) {
    // Exim's "host name [address]: " before the reply.
    std::string_view d = r.diagnostic;
    if (auto host = d.find("]: "); host != std::string_view::npos)
      r.diagnostic = std::string(TrimText(d.substr(host + 3)));
  }
  if (listed.empty()) {
    for (std::string& address : AddressesIn(message.root.HeaderValue("X-Failed-Recipients")))
      listed.push_back({std::move(address), {}});
  }
  return AddListedRecipients(report, listed, BounceAction::kFailed);
}

}  // namespace b2bmail::bounce
