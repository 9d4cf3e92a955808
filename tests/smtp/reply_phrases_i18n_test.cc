// Non-English reasons (issue 8): what ClassifyReply makes of replies and bounce texts
// in German, French, Spanish, Portuguese, Polish, Russian, Italian, Dutch, Czech and
// Japanese when no enhanced code or English word says why.
#include <catch2/catch.hpp>

#include "b2bmail/smtp/reply_classifier.h"

using namespace b2bmail::smtp;
using C = FailureCategory;

namespace {

struct Case {
  int code;
  const char* text;
  C category;
};

}  // namespace

TEST_CASE("reasons in other languages are classified like their English words", "[smtp]") {
  const Case cases[] = {
      {550, "Benutzer unbekannt", C::kBadMailbox},
      {550, "Die Adresse existiert nicht", C::kBadMailbox},
      {452, "Postfach voll", C::kMailboxFull},
      {550, "DOMAIN NICHT GEFUNDEN", C::kBadDomain},
      {550, "Utilisateur inconnu", C::kBadMailbox},
      {452, "Boîte pleine", C::kMailboxFull},
      {452, "BOÎTE PLEINE", C::kMailboxFull},  // Latin-1 capitals lowered
      {550, "Message refusé", C::kPolicyOrSpamBlock},
      {550, "Mail rejete. ofr_506", C::kPolicyOrSpamBlock},
      {550, "Usuario desconocido", C::kBadMailbox},
      {452, "Buzón lleno", C::kMailboxFull},
      {550, "Usuário desconhecido", C::kBadMailbox},
      {452, "Caixa postal cheia", C::kMailboxFull},
      {550, "Nieznany użytkownik", C::kBadMailbox},
      {452, "Skrzynka pełna", C::kMailboxFull},
      {452, "SKRZYNKA PEŁNA", C::kMailboxFull},  // Latin Extended-A capitals lowered
      {550, "Пользователь не найден", C::kBadMailbox},
      {550, "ПОЛЬЗОВАТЕЛЬ НЕ НАЙДЕН", C::kBadMailbox},  // Cyrillic capitals lowered
      {452, "Ящик переполнен", C::kMailboxFull},
      {550, "Utente sconosciuto", C::kBadMailbox},
      {550, "Gebruiker onbekend", C::kBadMailbox},
      {550, "Neznámý uživatel", C::kBadMailbox},
      {550, "宛先不明", C::kBadMailbox},
      {550, "このアドレスは存在しません", C::kBadMailbox},
      {550, "ドメインが存在しません", C::kBadDomain},  // the domain, not the mailbox
      {452, "メールボックスの容量を超えています", C::kMailboxFull},
      {552, "Nachricht zu groß", C::kMessageTooBig},
      {550, "迷惑メールとして拒否しました", C::kPolicyOrSpamBlock},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(ClassifyReply(c.code, "", c.text).category == c.category);
  }
}

TEST_CASE("an unknown user abroad is permanent and suppresses, a full mailbox does not", "[smtp]") {
  auto unknown = ClassifyReply(550, "", "Benutzer unbekannt");
  CHECK(unknown.status == DeliveryStatus::kPermanent);
  CHECK(SuppressesAddress({unknown.status, 550, "", "", unknown.category}));
  auto full = ClassifyReply(552, "", "Postfach voll");
  CHECK(full.status == DeliveryStatus::kTemporary);  // 5yz full mailbox kept temporary
  CHECK_FALSE(SuppressesAddress({full.status, 552, "", "", full.category}));
}

TEST_CASE("the English words and the enhanced code come before the phrase table", "[smtp]") {
  // An English reason wins over a foreign word in the same reply.
  CHECK(ClassifyReply(550, "", "Mailbox full / Benutzer unbekannt").category == C::kMailboxFull);
  // 5.7.1 is policy whatever the words; the table is the last resort.
  CHECK(ClassifyReply(550, "5.7.1", "Benutzer unbekannt").category == C::kPolicyOrSpamBlock);
  // Text in no language the table knows stays unclassified.
  CHECK(ClassifyReply(550, "", "Lorem ipsum dolor").category == C::kUnclassified);
}
