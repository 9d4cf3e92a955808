// Key records from a file in the forms `b2bmail dkim keygen` prints and DNS zone files
// hold (RFC 1035 §5.1 for the zone-file syntax used here: quoted character-strings,
// "( ... )" across lines, ';' comments).
#include "b2bmail/mime/dkim_key_file.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "b2bmail/base/error.h"
#include "b2bmail/base/strings.h"

namespace b2bmail::mime {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string NormalizeName(std::string_view name) {
  std::string n = base::AsciiLower(base::Trim(name));
  if (!n.empty() && n.back() == '.') n.pop_back();
  return n;
}

// A zone file may write a relative name ("s1._domainkey", as opendkim-genkey does): its
// origin is unknown here, so it stands for that selector at any domain.
bool IsRelative(const DkimKeyFile::Entry& e) { return e.name.ends_with("._domainkey"); }

struct LogicalLine {
  std::string text;
  int line = 0;
  std::string error;
};

// Joins physical lines while a '(' outside quotes is open (zone-file continuation). In
// such a group ';' starts a comment, which is dropped line by line; elsewhere ';' may be
// the tag separator of a bare record and stays.
std::vector<LogicalLine> LogicalLines(std::string_view text) {
  std::vector<LogicalLine> out;
  int depth = 0;
  int number = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    bool continued = depth > 0;
    bool grouped = continued;
    bool quoted = false;
    std::size_t comment = std::string_view::npos;
    for (std::size_t i = 0; i < line.size() && comment == std::string_view::npos; ++i) {
      char c = line[i];
      if (quoted) {
        if (c == '\\')
          ++i;
        else if (c == '"')
          quoted = false;
      } else if (c == '"') {
        quoted = true;
      } else if (c == ';') {
        comment = i;
      } else if (c == '(') {
        ++depth;
        grouped = true;
      } else if (c == ')' && depth > 0) {
        --depth;
      }
    }
    std::string_view kept = grouped ? line.substr(0, comment) : line;
    if (continued) {
      out.back().text += ' ';
      out.back().text += kept;
    } else {
      out.push_back({std::string(kept), number, ""});
    }
  }
  if (depth > 0 && !out.empty()) out.back().error = "'(' is never closed";
  return out;
}

// A zone-file line: [name] [ttl] [class] TXT "chunk" ["chunk" ...] [; comment].
bool ParseZoneLine(std::string_view line, DkimKeyFile::Entry& entry, std::string& error) {
  std::vector<std::string> tokens;
  std::string text;
  bool seen_chunk = false;
  std::size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (IsSpace(c) || c == '(' || c == ')') {
      ++i;
    } else if (c == ';') {
      break;
    } else if (c == '"') {
      ++i;
      bool closed = false;
      while (i < line.size()) {
        char d = line[i++];
        if (d == '"') {
          closed = true;
          break;
        }
        if (d != '\\' || i >= line.size()) {
          text += d;
          continue;
        }
        // \DDD is a byte in decimal, \X is X (RFC 1035 §5.1).
        if (i + 2 < line.size() && std::isdigit(static_cast<unsigned char>(line[i])) &&
            std::isdigit(static_cast<unsigned char>(line[i + 1])) &&
            std::isdigit(static_cast<unsigned char>(line[i + 2]))) {
          text += static_cast<char>((line[i] - '0') * 100 + (line[i + 1] - '0') * 10 +
                                    (line[i + 2] - '0'));
          i += 3;
        } else {
          text += line[i++];
        }
      }
      if (!closed) {
        error = "unterminated quoted string";
        return false;
      }
      seen_chunk = true;
    } else {
      std::size_t start = i;
      while (i < line.size() && !IsSpace(line[i]) && line[i] != '"' && line[i] != '(' &&
             line[i] != ')' && line[i] != ';')
        ++i;
      if (seen_chunk) {
        error = "unexpected '" + std::string(line.substr(start, i - start)) +
                "' after the quoted record";
        return false;
      }
      tokens.emplace_back(line.substr(start, i - start));
    }
  }
  if (!tokens.empty() && !base::EqualsIgnoreCase(tokens.back(), "TXT")) {
    error = "expected NAME [TTL] [IN] TXT \"record\"";
    return false;
  }
  if (tokens.size() >= 2 && !base::EqualsIgnoreCase(tokens[0], "IN") &&
      tokens[0].find_first_not_of("0123456789") != std::string::npos)
    entry.name = NormalizeName(tokens[0]);
  entry.text = std::string(base::Trim(text));
  return true;
}

}  // namespace

DkimKeyFileParse DkimKeyFile::Parse(std::string_view text, const std::string& file) {
  DkimKeyFileParse result;
  result.keys.file_ = file;
  auto& entries = result.keys.entries_;
  auto& diagnostics = result.diagnostics;
  for (const auto& logical : LogicalLines(text)) {
    std::string_view line = base::Trim(logical.text);
    if (line.empty() || line.front() == '#' || line.find("p=") == std::string_view::npos) continue;
    base::SourcePosition where{logical.line, 1};
    if (!logical.error.empty()) {
      diagnostics.Error(file, where, "key-file-syntax", logical.error);
      continue;
    }
    Entry entry;
    entry.line = logical.line;
    std::string error;
    if (line.find('"') != std::string_view::npos) {
      if (!ParseZoneLine(line, entry, error)) {
        diagnostics.Error(file, where, "key-file-syntax", error);
        continue;
      }
    } else if (std::size_t eq = line.find('=');
               line.substr(0, eq).find('.') != std::string_view::npos) {
      // name=record: tag names never contain a dot, domain names do.
      entry.name = NormalizeName(line.substr(0, eq));
      entry.text = std::string(base::Trim(line.substr(eq + 1)));
    } else {
      entry.text = std::string(line);
    }
    if (entry.text.empty()) {
      diagnostics.Error(file, where, "key-file-syntax", "empty record");
      continue;
    }
    entries.push_back(std::move(entry));
  }
  if (entries.empty() && !diagnostics.HasErrors())
    diagnostics.Error(file, {}, "no-key-record",
                      "no DKIM key record (\"v=DKIM1; k=rsa; p=...\") in the file");
  if (entries.size() > 1) {
    for (const auto& e : entries)
      if (e.name.empty())
        diagnostics.Error(file, {e.line, 1}, "unnamed-record",
                          "with several records each needs its name: "
                          "SELECTOR._domainkey.DOMAIN TXT \"v=DKIM1; ...\"");
  }
  return result;
}

DkimKeyFileParse DkimKeyFile::Load(const std::string& path) {
  // A directory opens as a stream that reads nothing: refuse it like a missing file.
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path))
    throw Error(ErrorKind::kIo, "cannot read DKIM key file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str(), path);
}

DkimKeyRecords DkimKeyFile::Lookup(const std::string& name) const {
  DkimKeyRecords result;
  std::string wanted = NormalizeName(name);
  for (const auto& e : entries_) {
    bool match = entries_.size() == 1 && e.name.empty();
    match = match || e.name == wanted || (IsRelative(e) && wanted.starts_with(e.name + "."));
    if (match) result.records.push_back(e.text);
  }
  if (result.records.empty())
    result.detail = "no record for " + wanted + " in " + file_;
  else
    result.outcome = DkimKeyRecords::Outcome::kFound;
  return result;
}

}  // namespace b2bmail::mime
