#pragma once
// Reasons written in languages other than English (issue 8): bounces from German,
// French, Japanese, Russian, ... servers and providers say "Benutzer unbekannt" or
// "ящик переполнен" where an English one says "user unknown" or "mailbox full".
// ClassifyReply asks this table only when the English words found nothing.

#include <string>
#include <string_view>

#include "b2bmail/smtp/delivery_outcome.h"

namespace b2bmail::smtp {

// The category the first matching phrase names, strongest first (a full mailbox before
// an unknown user, an unknown domain before the "does not exist" of an unknown user);
// kUnclassified when none matches. `text` is UTF-8 in any case: it is lower-cased with
// Utf8Lower before the search.
FailureCategory FromI18nText(std::string_view text);

// ASCII, Latin-1, Latin Extended-A (Polish, Czech), Greek and Cyrillic capitals to their
// small letters; every other byte as it was (invalid UTF-8 included).
std::string Utf8Lower(std::string_view text);

}  // namespace b2bmail::smtp
