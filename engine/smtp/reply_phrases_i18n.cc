// The non-English reason table (reply_phrases_i18n.h). Phrases are UTF-8 in lower case
// as Utf8Lower writes them; stems ("odrzucon", "bloccat") cover a language's endings.
// Within a category the order does not matter; across categories it does, as in the
// English FromText: full before unknown (a full mailbox "does not exist" nowhere, but
// "容量" is no unknown user), domain before mailbox (the "existiert nicht" of a
// domain), anything about the recipient before the generic "refused" words.
#include "reply_phrases_i18n.h"

#include <array>
#include <cstdint>

namespace b2bmail::smtp {
namespace {

using Category = FailureCategory;

struct Phrase {
  std::string_view text;
  Category category;
};

// clang-format off
constexpr std::array kPhrases{
    // --- mailbox full ---
    Phrase{"postfach voll", Category::kMailboxFull},                 // de
    Phrase{"postfach ist voll", Category::kMailboxFull},
    Phrase{"postfach des empfängers ist voll", Category::kMailboxFull},
    Phrase{"speicherplatz überschritten", Category::kMailboxFull},
    Phrase{"kontingent überschritten", Category::kMailboxFull},
    Phrase{"boîte pleine", Category::kMailboxFull},                  // fr
    Phrase{"boite pleine", Category::kMailboxFull},
    Phrase{"boîte aux lettres pleine", Category::kMailboxFull},
    Phrase{"boîte aux lettres est pleine", Category::kMailboxFull},
    Phrase{"boîte de réception est pleine", Category::kMailboxFull},
    Phrase{"quota dépassé", Category::kMailboxFull},
    Phrase{"buzón lleno", Category::kMailboxFull},                   // es
    Phrase{"buzon lleno", Category::kMailboxFull},
    Phrase{"buzón está lleno", Category::kMailboxFull},
    Phrase{"cuota excedida", Category::kMailboxFull},
    Phrase{"caixa postal cheia", Category::kMailboxFull},            // pt
    Phrase{"caixa de correio cheia", Category::kMailboxFull},
    Phrase{"caixa de entrada cheia", Category::kMailboxFull},
    Phrase{"caixa cheia", Category::kMailboxFull},
    Phrase{"cota excedida", Category::kMailboxFull},
    Phrase{"skrzynka pełna", Category::kMailboxFull},                // pl
    Phrase{"skrzynka jest pełna", Category::kMailboxFull},
    Phrase{"skrzynka odbiorcy jest pełna", Category::kMailboxFull},
    Phrase{"przepełnion", Category::kMailboxFull},
    Phrase{"ящик переполнен", Category::kMailboxFull},               // ru
    Phrase{"ящик полон", Category::kMailboxFull},
    Phrase{"переполнен", Category::kMailboxFull},
    Phrase{"превышена квота", Category::kMailboxFull},
    Phrase{"недостаточно места", Category::kMailboxFull},
    Phrase{"скриньку переповнено", Category::kMailboxFull},          // uk
    Phrase{"casella piena", Category::kMailboxFull},                 // it
    Phrase{"casella di posta piena", Category::kMailboxFull},
    Phrase{"spazio esaurito", Category::kMailboxFull},
    Phrase{"postvak vol", Category::kMailboxFull},                   // nl
    Phrase{"postbus vol", Category::kMailboxFull},
    Phrase{"mailbox vol", Category::kMailboxFull},
    Phrase{"quotum overschreden", Category::kMailboxFull},
    Phrase{"schránka je plná", Category::kMailboxFull},              // cs
    Phrase{"plná schránka", Category::kMailboxFull},
    Phrase{"překročena kvóta", Category::kMailboxFull},
    Phrase{"容量", Category::kMailboxFull},                           // ja, zh
    Phrase{"メールボックスがいっぱい", Category::kMailboxFull},
    Phrase{"満杯", Category::kMailboxFull},
    Phrase{"邮箱已满", Category::kMailboxFull},
    Phrase{"信箱已滿", Category::kMailboxFull},
    Phrase{"空间不足", Category::kMailboxFull},

    // --- message too big ---
    Phrase{"nachricht ist zu groß", Category::kMessageTooBig},       // de
    Phrase{"nachricht zu groß", Category::kMessageTooBig},
    Phrase{"größenbeschränkung", Category::kMessageTooBig},
    Phrase{"maximale nachrichtengröße", Category::kMessageTooBig},
    Phrase{"trop volumineux", Category::kMessageTooBig},             // fr
    Phrase{"taille maximale", Category::kMessageTooBig},
    Phrase{"demasiado grande", Category::kMessageTooBig},            // es
    Phrase{"tamaño máximo", Category::kMessageTooBig},
    Phrase{"muito grande", Category::kMessageTooBig},                // pt
    Phrase{"tamanho máximo", Category::kMessageTooBig},
    Phrase{"zbyt duż", Category::kMessageTooBig},                    // pl
    Phrase{"przekracza maksymalny rozmiar", Category::kMessageTooBig},
    Phrase{"слишком большой", Category::kMessageTooBig},             // ru
    Phrase{"превышает максимальный размер", Category::kMessageTooBig},
    Phrase{"troppo grande", Category::kMessageTooBig},               // it
    Phrase{"dimensione massima", Category::kMessageTooBig},
    Phrase{"bericht is te groot", Category::kMessageTooBig},         // nl
    Phrase{"maximale grootte", Category::kMessageTooBig},
    Phrase{"příliš velk", Category::kMessageTooBig},                 // cs
    Phrase{"maximální velikost", Category::kMessageTooBig},
    Phrase{"サイズが大きすぎ", Category::kMessageTooBig},               // ja, zh
    Phrase{"サイズ制限", Category::kMessageTooBig},
    Phrase{"サイズを超え", Category::kMessageTooBig},
    Phrase{"邮件过大", Category::kMessageTooBig},

    // --- unknown domain ---
    Phrase{"domain nicht gefunden", Category::kBadDomain},           // de
    Phrase{"domäne nicht gefunden", Category::kBadDomain},
    Phrase{"unbekannte domain", Category::kBadDomain},
    Phrase{"domain existiert nicht", Category::kBadDomain},
    Phrase{"domaine inconnu", Category::kBadDomain},                 // fr
    Phrase{"domaine introuvable", Category::kBadDomain},
    Phrase{"domaine inexistant", Category::kBadDomain},
    Phrase{"dominio desconocido", Category::kBadDomain},             // es
    Phrase{"dominio inexistente", Category::kBadDomain},
    Phrase{"dominio no existe", Category::kBadDomain},
    Phrase{"domínio desconhecido", Category::kBadDomain},            // pt
    Phrase{"domínio inexistente", Category::kBadDomain},
    Phrase{"domínio não existe", Category::kBadDomain},
    Phrase{"nieznana domena", Category::kBadDomain},                 // pl
    Phrase{"domena nie istnieje", Category::kBadDomain},
    Phrase{"домен не существует", Category::kBadDomain},             // ru
    Phrase{"домен не найден", Category::kBadDomain},
    Phrase{"неизвестный домен", Category::kBadDomain},
    Phrase{"dominio inesistente", Category::kBadDomain},             // it
    Phrase{"dominio sconosciuto", Category::kBadDomain},
    Phrase{"domein bestaat niet", Category::kBadDomain},             // nl
    Phrase{"onbekend domein", Category::kBadDomain},
    Phrase{"doména neexistuje", Category::kBadDomain},               // cs
    Phrase{"neznámá doména", Category::kBadDomain},
    Phrase{"ドメインが存在しません", Category::kBadDomain},             // ja, zh
    Phrase{"ドメインが見つかりません", Category::kBadDomain},
    Phrase{"ホストが見つかりません", Category::kBadDomain},
    Phrase{"域名不存在", Category::kBadDomain},

    // --- unknown or disabled mailbox ---
    Phrase{"benutzer unbekannt", Category::kBadMailbox},             // de
    Phrase{"unbekannter benutzer", Category::kBadMailbox},
    Phrase{"empfänger unbekannt", Category::kBadMailbox},
    Phrase{"unbekannter empfänger", Category::kBadMailbox},
    Phrase{"adresse unbekannt", Category::kBadMailbox},
    Phrase{"existiert nicht", Category::kBadMailbox},
    Phrase{"ungültige empfängeradresse", Category::kBadMailbox},
    Phrase{"postfach nicht gefunden", Category::kBadMailbox},
    Phrase{"utilisateur inconnu", Category::kBadMailbox},            // fr
    Phrase{"destinataire inconnu", Category::kBadMailbox},
    Phrase{"adresse inconnue", Category::kBadMailbox},
    Phrase{"introuvable", Category::kBadMailbox},
    Phrase{"n'existe pas", Category::kBadMailbox},
    Phrase{"n’existe pas", Category::kBadMailbox},
    Phrase{"boîte aux lettres inexistante", Category::kBadMailbox},
    Phrase{"compte désactivé", Category::kBadMailbox},
    Phrase{"usuario desconocido", Category::kBadMailbox},            // es
    Phrase{"destinatario desconocido", Category::kBadMailbox},
    Phrase{"usuario no existe", Category::kBadMailbox},
    Phrase{"usuario inexistente", Category::kBadMailbox},
    Phrase{"cuenta no existe", Category::kBadMailbox},
    Phrase{"dirección no válida", Category::kBadMailbox},
    Phrase{"cuenta desactivada", Category::kBadMailbox},
    Phrase{"usuário desconhecido", Category::kBadMailbox},           // pt
    Phrase{"usuario desconhecido", Category::kBadMailbox},
    Phrase{"utilizador desconhecido", Category::kBadMailbox},
    Phrase{"destinatário desconhecido", Category::kBadMailbox},
    Phrase{"usuário inexistente", Category::kBadMailbox},
    Phrase{"não existe", Category::kBadMailbox},
    Phrase{"endereço inválido", Category::kBadMailbox},
    Phrase{"conta desativada", Category::kBadMailbox},
    Phrase{"nieznany użytkownik", Category::kBadMailbox},            // pl
    Phrase{"użytkownik nieznany", Category::kBadMailbox},
    Phrase{"użytkownik nie istnieje", Category::kBadMailbox},
    Phrase{"adres nie istnieje", Category::kBadMailbox},
    Phrase{"konto nie istnieje", Category::kBadMailbox},
    Phrase{"nieprawidłowy adres", Category::kBadMailbox},
    Phrase{"пользователь не найден", Category::kBadMailbox},         // ru
    Phrase{"пользователь не существует", Category::kBadMailbox},
    Phrase{"неизвестный пользователь", Category::kBadMailbox},
    Phrase{"нет такого пользователя", Category::kBadMailbox},
    Phrase{"получатель не найден", Category::kBadMailbox},
    Phrase{"адрес не существует", Category::kBadMailbox},
    Phrase{"ящик не существует", Category::kBadMailbox},
    Phrase{"учетная запись отключена", Category::kBadMailbox},
    Phrase{"учётная запись отключена", Category::kBadMailbox},
    Phrase{"користувача не знайдено", Category::kBadMailbox},        // uk
    Phrase{"utente sconosciuto", Category::kBadMailbox},             // it
    Phrase{"utente inesistente", Category::kBadMailbox},
    Phrase{"destinatario sconosciuto", Category::kBadMailbox},
    Phrase{"indirizzo inesistente", Category::kBadMailbox},
    Phrase{"casella inesistente", Category::kBadMailbox},
    Phrase{"gebruiker onbekend", Category::kBadMailbox},             // nl
    Phrase{"onbekende gebruiker", Category::kBadMailbox},
    Phrase{"onbekende ontvanger", Category::kBadMailbox},
    Phrase{"ongeldig adres", Category::kBadMailbox},
    Phrase{"neznámý uživatel", Category::kBadMailbox},               // cs
    Phrase{"uživatel neexistuje", Category::kBadMailbox},
    Phrase{"neznámý příjemce", Category::kBadMailbox},
    Phrase{"adresa neexistuje", Category::kBadMailbox},
    Phrase{"宛先不明", Category::kBadMailbox},                        // ja
    Phrase{"存在しません", Category::kBadMailbox},
    Phrase{"ユーザーが見つかりません", Category::kBadMailbox},
    Phrase{"ユーザが見つかりません", Category::kBadMailbox},
    Phrase{"不明なユーザー", Category::kBadMailbox},
    Phrase{"アドレスが見つかりません", Category::kBadMailbox},
    Phrase{"用户不存在", Category::kBadMailbox},                      // zh
    Phrase{"收件人不存在", Category::kBadMailbox},
    Phrase{"地址不存在", Category::kBadMailbox},
    Phrase{"帐户不存在", Category::kBadMailbox},
    Phrase{"账户不存在", Category::kBadMailbox},
    Phrase{"使用者不存在", Category::kBadMailbox},

    // --- authentication ---
    Phrase{"authentifizierung erforderlich", Category::kAuthenticationRequired},
    Phrase{"authentification requise", Category::kAuthenticationRequired},
    Phrase{"autenticación requerida", Category::kAuthenticationRequired},
    Phrase{"requiere autenticación", Category::kAuthenticationRequired},
    Phrase{"autenticação necessária", Category::kAuthenticationRequired},
    Phrase{"autenticação obrigatória", Category::kAuthenticationRequired},
    Phrase{"wymagane uwierzytelnienie", Category::kAuthenticationRequired},
    Phrase{"требуется аутентификация", Category::kAuthenticationRequired},
    Phrase{"требуется авторизация", Category::kAuthenticationRequired},
    Phrase{"autenticazione richiesta", Category::kAuthenticationRequired},
    Phrase{"authenticatie vereist", Category::kAuthenticationRequired},
    Phrase{"vyžadováno ověření", Category::kAuthenticationRequired},
    Phrase{"認証が必要", Category::kAuthenticationRequired},
    Phrase{"認証に失敗", Category::kAuthenticationRequired},

    // --- rate ---
    Phrase{"zu viele", Category::kRateLimited},                      // de
    Phrase{"versuchen sie es später", Category::kRateLimited},
    Phrase{"réessayer plus tard", Category::kRateLimited},           // fr
    Phrase{"réessayez plus tard", Category::kRateLimited},
    Phrase{"essayez plus tard", Category::kRateLimited},
    Phrase{"demasiados", Category::kRateLimited},                    // es
    Phrase{"inténtelo más tarde", Category::kRateLimited},
    Phrase{"tente novamente mais tarde", Category::kRateLimited},    // pt
    Phrase{"zbyt wiele", Category::kRateLimited},                    // pl
    Phrase{"spróbuj ponownie później", Category::kRateLimited},
    Phrase{"слишком много", Category::kRateLimited},                 // ru
    Phrase{"повторите попытку позже", Category::kRateLimited},
    Phrase{"riprovare più tardi", Category::kRateLimited},           // it
    Phrase{"probeer het later", Category::kRateLimited},             // nl
    Phrase{"příliš mnoho", Category::kRateLimited},                  // cs
    Phrase{"しばらくしてから", Category::kRateLimited},                 // ja

    // --- content ---
    Phrase{"schadsoftware", Category::kContentRejected},
    Phrase{"inhalt abgelehnt", Category::kContentRejected},
    Phrase{"contenu refusé", Category::kContentRejected},
    Phrase{"contenido rechazado", Category::kContentRejected},
    Phrase{"ウイルス", Category::kContentRejected},
    Phrase{"病毒", Category::kContentRejected},

    // --- expired ---
    Phrase{"zustellfrist abgelaufen", Category::kExpired},
    Phrase{"délai expiré", Category::kExpired},
    Phrase{"délai de remise", Category::kExpired},
    Phrase{"tiempo de entrega", Category::kExpired},
    Phrase{"prazo expirado", Category::kExpired},
    Phrase{"срок доставки истек", Category::kExpired},
    Phrase{"срок доставки истёк", Category::kExpired},
    Phrase{"配信期限", Category::kExpired},
    Phrase{"有効期限", Category::kExpired},

    // --- policy and spam ---
    Phrase{"als spam eingestuft", Category::kPolicyOrSpamBlock},     // de
    Phrase{"verweigert", Category::kPolicyOrSpamBlock},
    Phrase{"nicht zugelassen", Category::kPolicyOrSpamBlock},
    Phrase{"refusé", Category::kPolicyOrSpamBlock},                  // fr
    Phrase{"rejet", Category::kPolicyOrSpamBlock},  // rejeté, rejete (Orange)
    Phrase{"indésirable", Category::kPolicyOrSpamBlock},
    Phrase{"liste noire", Category::kPolicyOrSpamBlock},
    Phrase{"bloqué", Category::kPolicyOrSpamBlock},
    Phrase{"rechazado", Category::kPolicyOrSpamBlock},               // es
    Phrase{"bloquead", Category::kPolicyOrSpamBlock},                // es, pt
    Phrase{"lista negra", Category::kPolicyOrSpamBlock},
    Phrase{"correo no deseado", Category::kPolicyOrSpamBlock},
    Phrase{"recusad", Category::kPolicyOrSpamBlock},                 // pt
    Phrase{"odrzucon", Category::kPolicyOrSpamBlock},                // pl
    Phrase{"zablokowan", Category::kPolicyOrSpamBlock},
    Phrase{"czarnej liście", Category::kPolicyOrSpamBlock},
    Phrase{"спам", Category::kPolicyOrSpamBlock},                    // ru
    Phrase{"отклонен", Category::kPolicyOrSpamBlock},
    Phrase{"заблокирован", Category::kPolicyOrSpamBlock},
    Phrase{"черный список", Category::kPolicyOrSpamBlock},
    Phrase{"чёрный список", Category::kPolicyOrSpamBlock},
    Phrase{"rifiutat", Category::kPolicyOrSpamBlock},                // it
    Phrase{"bloccat", Category::kPolicyOrSpamBlock},
    Phrase{"lista nera", Category::kPolicyOrSpamBlock},
    Phrase{"geweigerd", Category::kPolicyOrSpamBlock},               // nl
    Phrase{"geblokkeerd", Category::kPolicyOrSpamBlock},
    Phrase{"zwarte lijst", Category::kPolicyOrSpamBlock},
    Phrase{"odmítnut", Category::kPolicyOrSpamBlock},                // cs
    Phrase{"zablokován", Category::kPolicyOrSpamBlock},
    Phrase{"迷惑メール", Category::kPolicyOrSpamBlock},                 // ja, zh
    Phrase{"受信拒否", Category::kPolicyOrSpamBlock},
    Phrase{"拒否", Category::kPolicyOrSpamBlock},
    Phrase{"スパム", Category::kPolicyOrSpamBlock},
    Phrase{"垃圾邮件", Category::kPolicyOrSpamBlock},
    Phrase{"拒绝", Category::kPolicyOrSpamBlock},
};
// clang-format on

// The code point's small letter, for the scripts the table is written in.
char32_t LowerCodePoint(char32_t c) {
  if (c >= U'A' && c <= U'Z') return c + 32;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 0x20;  // Latin-1: À..Þ
  if (c >= 0x100 && c <= 0x137) return c | 1;                // Latin Extended-A pairs
  if (c >= 0x139 && c <= 0x148) return (c & 1) ? c + 1 : c;  // Ĺ..Ň start odd
  if (c >= 0x14A && c <= 0x177) return c | 1;
  if (c == 0x178) return 0xFF;                                  // Ÿ
  if (c >= 0x179 && c <= 0x17E) return (c & 1) ? c + 1 : c;     // Ź..Ž
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 0x20;  // Greek
  if (c >= 0x400 && c <= 0x40F) return c + 0x50;                // Ѐ..Џ
  if (c >= 0x410 && c <= 0x42F) return c + 0x20;                // А..Я
  if (c == 0x490) return 0x491;                                 // Ґ
  return c;
}

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

}  // namespace

std::string Utf8Lower(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto b = static_cast<unsigned char>(text[i]);
    // Only one- and two-byte sequences hold letters this lowers; the rest is copied.
    if (b >= 0xC2 && b <= 0xDF && i + 1 < text.size() &&
        (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) {
      char32_t c =
          (static_cast<char32_t>(b & 0x1F) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3F);
      AppendUtf8(out, LowerCodePoint(c));
      i += 2;
    } else {
      out += b < 0x80 ? static_cast<char>(LowerCodePoint(b)) : text[i];
      ++i;
    }
  }
  return out;
}

FailureCategory FromI18nText(std::string_view text) {
  const std::string lower = Utf8Lower(text);
  for (const Phrase& p : kPhrases)
    if (lower.find(p.text) != std::string::npos) return p.category;
  return Category::kUnclassified;
}

}  // namespace b2bmail::smtp
