// bench/render: messages per second of the full per-recipient render path against
// kainjow's plain render() of the same template, in one process and one run.
//
//   anchor   kainjow render() of the template as composed (layout and partials
//            expanded, so kainjow does not re-parse partials per render), HTML escape
//   also     kainjow render() of the template as written, partials looked up per render
//   b2bmail  MessageTemplate::Render: subject, preheader and strings in the contact's
//            language, the HTML part, every link rewritten (a click-tracking URL), the
//            generated text part with its links rewritten, wrapped at 76 columns
//
// 1,024 different recipients are cycled so that values differ on every render.
// Goal (issue 5): b2bmail >= 0.8x the anchor's rate.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <kainjow/mustache.hpp>
#include <string>
#include <vector>

#include "../engine/cli/workspace.h"
#include "b2bmail/render/message_template.h"
#include "kainjow_data.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace mustache = kainjow::mustache;

struct Recipient {
  b2bmail::model::Contact contact;
  b2bmail::model::Account account;
};

std::vector<Recipient> MakeRecipients() {
  const char* first[] = {"Anna", "Jörg", "Élodie", "Marek", "Sarah", "Luca", "Ewa", "Tobias"};
  const char* last[] = {"Müller", "Dubois", "Nowak", "Smith", "Rossi", "Becker", "Lefèvre"};
  const char* lang[] = {"de", "en", "fr", "pl", "de-AT", "en-GB"};
  std::vector<Recipient> out(1024);
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto& c = out[i].contact;
    c.first_name = first[i % 8];
    c.last_name = last[i % 7];
    c.email = "person" + std::to_string(i) + "@account" + std::to_string(i % 97) + ".example";
    c.title = "Head of Procurement";
    c.language = lang[i % 6];
    auto& a = out[i].account;
    a.id = "acc-" + std::to_string(i % 97);
    a.name = "Account " + std::to_string(i % 97) + " Maschinenbau GmbH & Co. KG";
    a.domains = {"account" + std::to_string(i % 97) + ".example"};
    a.industry = "manufacturing";
  }
  return out;
}

template <typename F>
double Rate(int messages, F&& render) {
  auto start = Clock::now();
  for (int i = 0; i < messages; ++i) render(i);
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return messages / seconds;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s SOURCE_ROOT TEMPLATE_ID [MESSAGES] [RUNS]\n", argv[0]);
    return 2;
  }
  int messages = argc > 3 ? std::atoi(argv[3]) : 20000;
  int runs = argc > 4 ? std::atoi(argv[4]) : 5;
  b2bmail::cli::GlobalOptions global;
  global.workspace = argv[1];
  b2bmail::cli::Workspace ws(global);
  auto source = ws.LoadTemplate(argv[2], "");
  if (source.subjects.empty()) source.subjects[""] = "{{contact.first_name}}, an invitation";
  b2bmail::base::Diagnostics diags;
  auto tmpl = b2bmail::render::MessageTemplate::Compile(source, diags);
  if (!tmpl) {
    for (const auto& d : diags.items()) std::fprintf(stderr, "%s\n", d.Format().c_str());
    return 1;
  }
  auto recipients = MakeRecipients();
  b2bmail::model::Campaign campaign;
  campaign.id = "bench";
  campaign.name = "Benchmark";
  b2bmail::render::Sender sender{"Lumetra Industrial Software GmbH",
                                 "Speicherstraße 12, 20457 Hamburg", "https://www.lumetra.example"};
  b2bmail::render::LinkRewriter rewrite = [](const b2bmail::render::LinkInfo& link,
                                             const std::string& url) {
    return "https://t.lumetra.example/c/" + std::to_string(link.index) + "?u=" + url;
  };

  // The anchor's data: the same values as a kainjow data object, built per render too.
  auto data_of = [&](const Recipient& r) {
    return b2bmail::bench::KainjowData(r.contact, &r.account, campaign, sender);
  };

  mustache::mustache composed(tmpl->composed_html());
  std::string as_written_text = source.layout ? *source.layout : source.html;
  mustache::mustache as_written(as_written_text);
  std::size_t sink = 0;

  std::vector<double> anchor, written, ours;
  for (int run = 0; run < runs; ++run) {
    anchor.push_back(Rate(messages, [&](int i) {
      auto data = data_of(recipients[i % 1024]);
      sink += composed.render(data).size();
    }));
    written.push_back(Rate(messages, [&](int i) {
      auto data = data_of(recipients[i % 1024]);
      for (const auto& [name, text] : source.partials) {
        const std::string* t = &text;
        data.set(name, mustache::partial([t] { return *t; }));
      }
      const std::string* body = &source.html;
      data.set("content", mustache::partial([body] { return *body; }));
      sink += as_written.render(data).size();
    }));
    ours.push_back(Rate(messages, [&](int i) {
      const auto& r = recipients[i % 1024];
      auto m = tmpl->Render({r.contact, &r.account, campaign,
                             "https://t.lumetra.example/u/abcdefghijklmnopqrstuvwxyz", &sender,
                             "https://t.lumetra.example/p/abcdefghijklmnopqrstuvwxyz",
                             "https://t.lumetra.example/v/abcdefghijklmnopqrstuvwxyz", &rewrite});
      sink += m.html.size() + m.text.size();
    }));
  }
  auto sample = tmpl->Render({recipients[0].contact, &recipients[0].account, campaign,
                              "https://t.lumetra.example/u/x", &sender});
  std::printf(
      "template %s: %zu bytes as composed, %zu links; a message has %zu bytes of HTML "
      "and %zu of text\n",
      argv[2], tmpl->composed_html().size(), tmpl->links().size(), sample.html.size(),
      sample.text.size());
  std::printf("%d messages per run, %d runs, median rate (messages/s)\n", messages, runs);
  double a = Median(anchor), w = Median(written), o = Median(ours);
  std::printf("  kainjow render(), composed template (anchor)   %10.0f\n", a);
  std::printf("  kainjow render(), partials looked up per render %9.0f   %.2fx the anchor\n", w,
              w / a);
  std::printf("  b2bmail full path (HTML + links + text part)   %10.0f   %.2fx the anchor\n", o,
              o / a);
  std::printf("goal: b2bmail >= 0.80x the anchor: %s\n", o / a >= 0.8 ? "met" : "NOT met");
  return sink == 0 ? 1 : 0;
}
