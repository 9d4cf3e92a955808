// Exchange 2007 and later, Exchange Online and Office 365, when the report carries no
// usable delivery-status part: the text's "Diagnostic information for administrators"
// names each recipient and the remote reply, in the language of the sender's server.
//
//   Diagnostic information for administrators:
//   Generating server: mx.example.com
//   anna@example.com
//   Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'
//   Original message headers:
//
// (older ones: "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##").
#include <array>

#include "vendor_parsers.h"

namespace b2bmail::bounce {
namespace {

// The section's heading and the heading after it, in the languages Exchange writes.
constexpr std::array<std::string_view, 11> kDiagnostics{
    "Diagnostic information for administrators",
    "Informations de diagnostic pour les administrateurs",
    "Diagnoseinformationen für Administratoren",
    "Información de diagnóstico para administradores",
    "Informações de diagnóstico para administradores",
    "Informazioni di diagnostica per gli amministratori",
    "Diagnostische informatie voor beheerders",
    "Informacje diagnostyczne dla administratorów",
    "Диагностические сведения для администраторов",
    "管理者向けの診断情報",
    "管理者用の診断情報",
};

}  // namespace

bool ParseExchange2007(const BounceMessage& message, BounceReport& report) {
  std::string_view notice = message.notice;
  std::size_t section = std::string_view::npos;
  for (std::string_view heading : kDiagnostics)
    if ((section = AfterLineWith(notice, heading)) != std::string_view::npos) break;
  if (section == std::string_view::npos) return false;
  auto listed = ListedRecipients(
      notice.substr(section),
      {"Original message headers", "En-têtes de message d'origine",
       "Ursprüngliche Nachrichtenkopfzeilen", "Encabezados del mensaje original",
       "Cabeçalhos da mensagem original", "Intestazioni originali del messaggio",
       "Oorspronkelijke berichtkoppen", "Oryginalne nagłówki wiadomości",
       "Заголовки исходного сообщения", "元のメッセージ ヘッダー", "元のメッセージのヘッダー"});
  for (ListedRecipient& r : listed) {
    std::string_view d = r.diagnostic;
    // "Remote Server returned '<reply>'" and "#<reply> ##rfc822;address": the reply.
    if (auto quote = d.find('\'');
        quote != std::string_view::npos && FindIgnoreCase(d, "returned") < quote) {
      d = d.substr(quote + 1);
      d = d.substr(0, d.rfind('\''));
    } else if (!d.empty() && d.front() == '#') {
      d.remove_prefix(1);
      d = d.substr(0, d.find("##"));
    }
    r.diagnostic = std::string(TrimText(d));
  }
  return AddListedRecipients(report, listed, BounceAction::kFailed);
}

}  // namespace b2bmail::bounce
