#pragma once
// DKIM key records kept in a text file instead of DNS: to check a message before its
// record is published, or against a record someone sent. Accepted, one record per line:
//
//   v=DKIM1; k=rsa; p=MIIB...                           the bare record text
//   rsa2026._domainkey.lumetra.example. TXT "v=DKIM1; k=rsa; p=..."
//                                                       a zone-file line ([TTL] [IN] TXT, quoted
//                                                       chunks joined, "( ... )" may span lines,
//                                                       ';' comments after the chunks)
//   rsa2026._domainkey.lumetra.example=v=DKIM1; ...    name=record
//
// Lines without "p=" (which every key record has) are ignored, so that the whole output
// of `b2bmail dkim keygen` can be saved as a key file; so are lines starting with '#'.
// A file holding exactly one record without a name serves it for every name; otherwise
// every record needs its name, and a name may have several records (as in DNS).

#include <string>
#include <string_view>
#include <vector>

#include "b2bmail/base/diagnostics.h"
#include "b2bmail/mime/dkim_key_lookup.h"

namespace b2bmail::mime {

struct DkimKeyFileParse;

// Immutable after parsing; Lookup is thread-safe.
class DkimKeyFile final : public DkimKeyLookup {
 public:
  struct Entry {
    std::string name;  // lower case, without a final dot; empty: serves every name
    std::string text;  // the record text, chunks joined
    int line = 0;      // where it starts in the file
  };

  // Parses the text of a key file named `file` (for diagnostics). Lines that cannot be
  // read, a file without records, and unnamed records among several are errors
  // (file:line); the records read are kept either way.
  static DkimKeyFileParse Parse(std::string_view text, const std::string& file);
  // Reads and parses `path`; throws Error{kIo} when it cannot be read.
  static DkimKeyFileParse Load(const std::string& path);

  // Names compare case-insensitively, a final dot ignored.
  DkimKeyRecords Lookup(const std::string& name) const override;

  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::string file_;
  std::vector<Entry> entries_;
};

struct DkimKeyFileParse {
  DkimKeyFile keys;
  base::Diagnostics diagnostics;
};

}  // namespace b2bmail::mime
