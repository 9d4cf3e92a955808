#pragma once
// Hides Mustache tags from libxml2 while the legacy transform rewrites a template.
// libxml2's serializer percent-encodes URL attributes (href="{{url}}" would come back
// as href="%7B%7Burl%7D%7D"), so every tag is swapped for an alphanumeric token that
// survives parsing and serialising unchanged, and swapped back afterwards.

#include <string>
#include <vector>

namespace b2bmail::render {

class MustacheShield {
 public:
  // `text` with every {{...}} / {{{...}}} replaced by a token.
  std::string Hide(const std::string& text);
  // The tokens in `text` replaced by the tags they stand for.
  std::string Restore(const std::string& text) const;
  // A token for a tag the transform adds itself (the preheader slot).
  std::string Token(const std::string& tag);

  // Tokens look like this prefix, a number and 'z': letters and digits only.
  static constexpr const char* kPrefix = "b2bTAG";

 private:
  std::vector<std::string> tags_;
};

}  // namespace b2bmail::render
