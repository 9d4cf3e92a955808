// FastTemplate against kainjow: random templates and data must render byte for byte
// the same (the compiled renderer replaces kainjow only where it is identical).
#include "fast_template.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <kainjow/mustache.hpp>
#include <map>
#include <random>
#include <sstream>

#include "b2bmail/render/message_template.h"
#include "golden_source.h"
#include "html_escape.h"

using namespace b2bmail;
using namespace b2bmail::render;
namespace mustache = kainjow::mustache;
namespace fs = std::filesystem;

namespace {

// MessageTemplate's kainjow escape functions, copied: the reference behaviour.
// The escapes message_template.cc gives kainjow.
std::string KainjowHtmlEscape(const std::string& s) { return b2bmail::render::EscapeHtml(s); }
std::string KainjowNoEscape(const std::string& s) { return b2bmail::render::DropLinkMarkers(s); }

// One data tree, converted to both representations.
struct Value {
  enum class Type { kString, kTrue, kFalse, kObject } type = Type::kObject;
  std::string text;
  std::map<std::string, Value> members;
};

mustache::data ToKainjow(const Value& v) {
  switch (v.type) {
    case Value::Type::kString:
      return mustache::data(v.text);
    case Value::Type::kTrue:
      return mustache::data(true);
    case Value::Type::kFalse:
      return mustache::data(false);
    case Value::Type::kObject:
      break;
  }
  mustache::data object{mustache::data::type::object};
  for (const auto& [k, m] : v.members) object.set(k, ToKainjow(m));
  return object;
}

void ToFast(const Value& v, FastData& data, FastData::Id parent) {
  for (const auto& [k, m] : v.members) {
    switch (m.type) {
      case Value::Type::kString:
        data.Set(parent, k, m.text);
        break;
      case Value::Type::kTrue:
      case Value::Type::kFalse:
        data.SetBool(parent, k, m.type == Value::Type::kTrue);
        break;
      case Value::Type::kObject:
        ToFast(m, data, data.Object(parent, k));
        break;
    }
  }
}

std::optional<std::string> RenderKainjow(const std::string& text, bool html,
                                         const mustache::data& data) {
  mustache::mustache m(text);
  if (!m.is_valid()) return std::nullopt;
  m.set_custom_escape(html ? KainjowHtmlEscape : KainjowNoEscape);
  std::string out = m.render(data);
  if (!m.is_valid()) return std::nullopt;
  return out;
}

FastTemplate::Escape EscapeFor(bool html) {
  return html ? FastTemplate::Escape::kHtml : FastTemplate::Escape::kNone;
}

// Printable, so a failing case can be read in the test output.
std::string Show(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\n')
      out += "\\n";
    else if (c == '\r')
      out += "\\r";
    else if (c == '\t')
      out += "\\t";
    else if (b2bmail::render::IsLinkMarker(c))
      out += c == '\x1e' ? "\\x1e" : "\\x1f";
    else
      out += c;
  }
  return out;
}

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <typename T, std::size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[Pick(static_cast<int>(N))];
  }

  Value Data(int depth = 0) {
    // "" and "a.b" are keys too: kainjow finds the first by the name "" and never the second.
    static const char* const kKeys[] = {"a", "b", "c", "s", "e", "f", "t", "o", "", "a.b"};
    Value v;
    int members = Pick(depth == 0 ? 8 : 4);
    for (int i = 0; i < members; ++i) v.members[Pick(kKeys)] = Member(depth);
    return v;
  }

  std::string Name() {
    static const char* const kSegments[] = {"a", "b", "c", "s", "e", "f", "t", "o", "x", ""};
    switch (Pick(12)) {
      case 0:
        return ".";
      case 1:
        return std::string(Pick(kSegments)) + ".";
      default:
        break;
    }
    std::string name = Pick(kSegments);
    for (int n = Pick(3); n > 0; --n) name += std::string(".") + Pick(kSegments);
    return name;
  }

  std::string Template(int depth = 0) {
    std::string out;
    for (int n = Pick(depth == 0 ? 14 : 7); n > 0; --n) out += Piece(depth);
    return out;
  }

  // Tag soup: mostly invalid, to check that both sides agree on what compiles.
  std::string Soup() {
    static const char* const kBits[] = {"{{", "}}", "{", "}", "#a", "/a", "^a",  "/b",  "!",
                                        "=",  ">",  "a", " ", "\n", "&",  "{{{", "}}}", "."};
    std::string out;
    for (int n = Pick(16); n > 0; --n) out += Pick(kBits);
    return out;
  }

 private:
  Value Member(int depth) {
    static const char* const kStrings[] = {"",
                                           " ",
                                           "\t",
                                           "x",
                                           "Zoë",
                                           "<b>&amp;\"'</b>",
                                           "\x1e"
                                           "0\x1fhttps://x\x1e",
                                           "two\nlines",
                                           "false",
                                           " \t ",
                                           "a\r\nb",
                                           "{{a}}"};
    Value v;
    switch (Pick(depth < 3 ? 6 : 4)) {
      case 0:
      case 1:
        v.type = Value::Type::kString;
        v.text = Pick(kStrings);
        break;
      case 2:
        v.type = Value::Type::kTrue;
        break;
      case 3:
        v.type = Value::Type::kFalse;
        break;
      default:
        v = Data(depth + 1);
    }
    return v;
  }

  std::string Space() {
    static const char* const kSpaces[] = {"", "", "", " ", "  ", "\t", " \t"};
    return Pick(kSpaces);
  }
  std::string Newline() {
    static const char* const kNewlines[] = {"\n", "\n", "\n", "\r\n", "\r"};
    return Pick(kNewlines);
  }
  std::string Inner() { return Pick(4) == 0 ? " " : ""; }

  std::string Piece(int depth) {
    static const char* const kWords[] = {"w", "<p>", "&", "{", "}", "x}y", "é", "'\""};
    switch (Pick(depth < 4 ? 13 : 10)) {
      case 0:
      case 1:
        return Pick(kWords);
      case 2:
        return Space();
      case 3:
        return Newline();
      case 4:
        return "{{" + Inner() + Name() + Inner() + "}}";
      case 5:
        return Pick(2) ? "{{{" + Inner() + Name() + Inner() + "}}}"
                       : "{{&" + Inner() + Name() + Inner() + "}}";
      case 6:
        return Pick(2) ? "{{! note }}" : "{{!" + Newline() + "long }{" + Newline() + "}}";
      case 7:
        return Space() + "{{! standalone }}" + Space() + Newline();
      case 8:
        return "{{.}}";
      case 9:
        return Newline() + Space();
      default:
        break;
    }
    std::string name = Name();
    std::string sigil = Pick(3) ? "#" : "^";
    // Standalone lines, inline sections, and mixes of both.
    std::string open = "{{" + sigil + Inner() + name + "}}";
    std::string close = "{{/" + name + Inner() + "}}";
    if (Pick(2)) open = Space() + open + Space() + Newline();
    if (Pick(2)) close = Space() + close + Space() + (Pick(4) ? Newline() : "");
    return open + Template(depth + 1) + close;
  }

  std::mt19937 rng_;
};

void RequireSame(const std::string& text, bool html, const Value& value) {
  INFO("template: " << Show(text));
  auto expected = RenderKainjow(text, html, ToKainjow(value));
  auto fast = FastTemplate::Compile(text, EscapeFor(html));
  if (!expected) {
    REQUIRE_FALSE(fast);
    return;
  }
  if (!fast) {
    // Only what this class refuses on purpose: partials and set-delimiter tags.
    REQUIRE((text.find('>') != std::string::npos || text.find('=') != std::string::npos));
    return;
  }
  FastData data;
  ToFast(value, data, FastData::kRoot);
  std::string got = "prefix ";  // Render appends
  fast->Render(data, got);
  INFO("kainjow: " << Show(*expected));
  INFO("fast:    " << Show(got.substr(7)));
  REQUIRE(got == "prefix " + *expected);
}

// What MessageTemplate's BuildData gives a template, with values that need escaping.
Value Recipient(int i) {
  auto str = [](std::string s) {
    Value v;
    v.type = Value::Type::kString;
    v.text = std::move(s);
    return v;
  };
  Value root;
  Value& contact = root.members["contact"];
  contact.members = {{"email", str("jan" + std::to_string(i) + "@acme.example")},
                     {"first_name", str(i % 2 ? "Jan" : "Zoë")},
                     {"last_name", str("O'Brien")},
                     {"title", str("")},
                     {"language", str("pl")},
                     {"role", str("buyer")}};
  contact.members["attr"].members["plan"] = str("<team>");
  Value& account = root.members["account"];
  account.members = {{"id", str("acc")},
                     {"name", str("Acme & Synowie")},
                     {"domain", str("acme.example")},
                     {"employees", str("")}};
  root.members["campaign"].members = {{"id", str("c1")}, {"name", str("Launch \"Q4\"")}};
  root.members["sender"].members = {{"company", str("Lumetra GmbH")},
                                    {"address", str("Speicherstraße 12, Hamburg")}};
  root.members["unsubscribe_url"] = str("https://t.example/u/T" + std::to_string(i));
  root.members["preferences_url"] = str("https://t.example/p/T?a=1&b=2");
  root.members["view_online_url"] = str("https://t.example/v/T");
  root.members["preheader"] = str("Three things");
  return root;
}

}  // namespace

TEST_CASE("fast templates render random templates and data exactly as kainjow", "[render]") {
  Generator gen(20261105);
  for (int i = 0; i < 3000; ++i) {
    INFO("case " << i);
    RequireSame(gen.Template(), i % 2 == 0, gen.Data());
  }
}

TEST_CASE("fast templates accept and refuse what kainjow does", "[render]") {
  Generator gen(7);
  for (int i = 0; i < 3000; ++i) {
    INFO("case " << i);
    RequireSame(gen.Soup(), true, gen.Data());
  }
  CHECK_FALSE(FastTemplate::Compile("a {{> footer}} b", FastTemplate::Escape::kHtml));
  CHECK_FALSE(FastTemplate::Compile("{{=<% %>=}}<% a %>", FastTemplate::Escape::kHtml));
  CHECK_FALSE(FastTemplate::Compile("{{#a}}{{/b}}", FastTemplate::Escape::kHtml));
  CHECK_FALSE(FastTemplate::Compile("{{#a}}", FastTemplate::Escape::kHtml));
  CHECK_FALSE(FastTemplate::Compile("{{a", FastTemplate::Escape::kHtml));
}

TEST_CASE("fast templates follow kainjow's truthiness and standalone lines", "[render]") {
  FastData data;
  data.Set(FastData::kRoot, "empty", "");
  data.SetBool(FastData::kRoot, "no", false);
  data.Object(FastData::kRoot, "obj");
  data.SetPath("contact.first_name", "Zoë & <Co>\x1e");
  auto render = [&](std::string_view text) {
    return FastTemplate::Compile(text, FastTemplate::Escape::kHtml)->Render(data);
  };
  // An empty string and an empty object are true; only missing and false are not.
  CHECK(render("{{#empty}}E{{/empty}}{{#obj}}O{{/obj}}{{#no}}N{{/no}}{{#x}}X{{/x}}") == "EO");
  CHECK(render("{{^empty}}E{{/empty}}{{^no}}N{{/no}}{{^x}}X{{/x}}") == "NX");
  CHECK(render("{{contact.first_name}}|{{{contact.first_name}}}") ==
        "Zoë &amp; &lt;Co&gt;|Zoë & <Co>\x1e");
  // A rendered section's line goes; a skipped section's and a comment's stay.
  CHECK(render("a\n  {{#obj}}  \nb\n{{/obj}}\nc\n") == "a\nb\nc\n");
  CHECK(render("a\n  {{#no}}\nb\n{{/no}}\nc\n") == "a\n  \nc\n");
  CHECK(render("a\n  {{! note }}\nc") == "a\n  \nc");
}

TEST_CASE("fast templates render the golden templates exactly as kainjow", "[render][golden]") {
  fs::path root = fs::path(B2BMAIL_TEST_DATA) / "golden";
  int cases = 0;
  for (const auto& dir : fs::directory_iterator(root)) {
    INFO(dir.path().string());
    TemplateSource src = testing::GoldenSource(dir.path());
    base::Diagnostics d;
    auto compiled = MessageTemplate::Compile(src, d);
    REQUIRE(compiled);
    // The sources as written, and as MessageTemplate renders them (HTML and text).
    std::pair<std::string, bool> texts[] = {{src.html, true},
                                            {compiled->composed_html(), true},
                                            {compiled->compiled_html(), true},
                                            {compiled->compiled_text(), false}};
    for (const auto& [text, html] : texts)
      for (int i = 0; i < 2; ++i) RequireSame(text, html, Recipient(i));
    ++cases;
  }
  CHECK(cases >= 2);
}

TEST_CASE("fast templates are timed against kainjow", "[render][timing]") {
  std::string text = "<html><head><title>{{campaign.name}}</title></head><body>\n";
  while (text.size() < 10000) {
    text +=
        "<tr><td class=\"copy\" style=\"font-family: Arial; font-size: 15px\">Hello "
        "{{contact.first_name}} {{contact.last_name}} at {{account.name}},</td></tr>\n"
        "  {{#contact.attr.plan}}\n<p>Your plan: {{contact.attr.plan}}</p>\n"
        "  {{/contact.attr.plan}}\n<a href=\"{{unsubscribe_url}}\">Unsubscribe</a>\n";
  }
  text += "</body></html>\n";
  Value value = Recipient(1);
  mustache::data kdata = ToKainjow(value);
  FastData fdata;
  ToFast(value, fdata, FastData::kRoot);
  mustache::mustache k(text);
  k.set_custom_escape(KainjowHtmlEscape);
  auto fast = FastTemplate::Compile(text, FastTemplate::Escape::kHtml);
  REQUIRE(fast);
  REQUIRE(fast->Render(fdata) == k.render(kdata));

  constexpr int kRuns = 200;
  using Clock = std::chrono::steady_clock;
  std::size_t bytes = 0;
  auto start = Clock::now();
  for (int i = 0; i < kRuns; ++i) bytes += k.render(kdata).size();
  auto kainjow = Clock::now() - start;
  start = Clock::now();
  std::string out;
  for (int i = 0; i < kRuns; ++i) {
    out.clear();
    fast->Render(fdata, out);
    bytes += out.size();
  }
  auto compiled = Clock::now() - start;
  auto us = [](auto d) { return std::chrono::duration<double, std::micro>(d).count() / kRuns; };
  std::cout << "render of a " << text.size() << " B template (" << bytes / kRuns / 2
            << " B out): kainjow " << us(kainjow) << " us, FastTemplate " << us(compiled) << " us, "
            << us(kainjow) / us(compiled) << "x\n";
}

TEST_CASE("fast data replaces values and objects as kainjow's set does", "[render]") {
  FastData data;
  auto render = [&](std::string_view text) {
    return FastTemplate::Compile(text, FastTemplate::Escape::kNone)->Render(data);
  };
  data.SetPath("a.b.c", "1");
  CHECK(render("{{a.b.c}}") == "1");
  data.Set(FastData::kRoot, "a", "flat");  // the object and all below it are gone
  CHECK(render("{{a}}|{{a.b.c}}") == "flat|");
  FastData::Id a = data.Object(FastData::kRoot, "a");  // a new, empty object
  CHECK(render("{{a}}|{{a.b.c}}|{{#a}}obj{{/a}}") == "||obj");
  CHECK(data.Object(FastData::kRoot, "a") == a);  // an existing object is kept
  data.SetBool(a, "on", true);
  CHECK(data.Object(a, "on") != FastData::kNone);  // a boolean is replaced by an object
  data.Set(a, "s", "x");
  CHECK(data.Object(data.Child(a, "s"), "y") == FastData::kNone);  // no objects in strings
  data.Set(FastData::kNone, "ignored", "x");
  for (int i = 0; i < 500; ++i) data.Set(a, "k" + std::to_string(i), std::to_string(i));
  CHECK(render("{{a.k0}} {{a.k499}}") == "0 499");
  data.Clear();
  CHECK(render("[{{a.k0}}]") == "[]");
}
