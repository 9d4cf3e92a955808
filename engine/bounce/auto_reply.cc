#include "auto_reply.h"

#include <array>

#include "b2bmail/base/strings.h"

namespace b2bmail::bounce {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

// Subjects vacation programs put in front (lower case), English, German, French,
// Spanish, Portuguese, Polish, Russian and Japanese ones included.
constexpr std::array<std::string_view, 16> kSubjects = {
    "out of office",
    "automatic reply",
    "auto reply",
    "autoreply",
    "auto-reply",
    "abwesenheitsnotiz",
    "automatische antwort",
    "réponse automatique",
    "absence",
    "respuesta automática",
    "fuera de la oficina",
    "resposta automática",
    "odpowiedź automatyczna",
    "автоответ",
    "自動応答",
    "vacation",
};

}  // namespace

bool IsAutoReply(const mime::MimePart& message) {
  // RFC 3834 §5: auto-replied (not auto-generated: DSNs say that).
  std::string submitted = base::AsciiLower(message.HeaderValue("Auto-Submitted"));
  if (StartsWith(submitted, "auto-replied")) return true;
  for (const char* name : {"X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Vacation"})
    if (message.FindHeader(name)) return true;
  std::string precedence = base::AsciiLower(message.HeaderValue("Precedence"));
  if (precedence == "auto_reply" || precedence == "auto-reply") return true;
  // Microsoft Exchange marks its replies and lets suppressions be asked for.
  if (base::AsciiLower(message.HeaderValue("X-Auto-Response-Suppress")).find("oof") !=
          std::string::npos &&
      message.FindHeader("In-Reply-To"))
    return true;
  std::string subject = base::AsciiLower(message.HeaderValue("Subject"));
  for (std::string_view prefix : kSubjects)
    if (StartsWith(subject, prefix)) return true;
  return false;
}

}  // namespace b2bmail::bounce
