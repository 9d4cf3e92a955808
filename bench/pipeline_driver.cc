// bench/pipeline: messages per second of the whole per-recipient path of a launch
// (engine/campaign/launcher.cc) on one core, against the ceiling that the two costs we
// cannot avoid set in the same run, and how DKIM signing scales on a SigningPool.
//
//   b2bmail   what Launch does per recipient: campaign::SendComposer (a send key from
//             SystemRandom, as the CLI gives it, its signed unsubscribe and bounce
//             tokens, MessageTemplate::Render, the bulk-sender headers,
//             mime::MessageBuilder::Build), then DkimSigner::Sign (relaxed/relaxed, t=
//             from a SystemClock), for rsa-2048, ed25519 and both keys on one signer
//   ceiling   1 / (1/sign + 1/render): OpenSSL's bare signing rate for the key (RSA:
//             EVP_PKEY_sign of a 32-byte digest on a context set up once; Ed25519:
//             EVP_DigestSign of 32 bytes, likewise; as many as fit in a second) plus
//             kainjow's render() of the composed template (bench/render's anchor); for
//             both keys the two signing costs add
//   also      the same path drawing from a SeededRandom instead: SystemRandom reads
//             getrandom(2), whose cost depends on the machine, so its share is shown
//             apart; where a message's time goes
//             (Render, Build, Sign, and the bare OpenSSL calls dkim.cc makes)
//   pool      SignAll of pre-built messages on SigningPools of 1, 2 (and all hardware)
//             threads, with the cores the process got (CPU time / wall time: on a shared
//             machine a second thread may get no second core) and, as the anchor for
//             2 / 1, OpenSSL's bare signing on 1 and 2 threads measured on either side of
//             the pools; and the whole path with signing on a pool of 2
//
// Recipients are samples/contacts.csv with their samples/accounts.csv accounts, cycled.
// Goals: b2bmail >= 0.85x the ceiling on one core; a pool of 2 >= 1.8x a pool of 1.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "../engine/cli/workspace.h"
#include "b2bmail/base/clock.h"
#include "b2bmail/base/random.h"
#include "b2bmail/campaign/send_composer.h"
#include "b2bmail/mime/dkim.h"
#include "b2bmail/mime/message_builder.h"
#include "b2bmail/mime/signing_pool.h"
#include "b2bmail/render/message_template.h"
#include "b2bmail/track/token_signer.h"
#include "kainjow_data.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace mustache = kainjow::mustache;
namespace mime = b2bmail::mime;
namespace render = b2bmail::render;
namespace campaign = b2bmail::campaign;
namespace track = b2bmail::track;
namespace model = b2bmail::model;
namespace base = b2bmail::base;

struct Recipient {
  model::Contact contact;
  std::optional<model::Account> account;
};

// RFC 4180 rows of a small file: quoted fields, doubled quotes, no line ends in fields.
std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  std::string text = b2bmail::cli::ReadTextFile(path);
  std::vector<std::vector<std::string>> rows;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::vector<std::string> row(1);
    bool quoted = false;
    for (; pos < text.size(); ++pos) {
      char c = text[pos];
      if (quoted) {
        if (c == '"' && pos + 1 < text.size() && text[pos + 1] == '"') {
          row.back() += '"';
          ++pos;
        } else if (c == '"') {
          quoted = false;
        } else {
          row.back() += c;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.emplace_back();
      } else if (c == '\n') {
        ++pos;
        break;
      } else if (c != '\r') {
        row.back() += c;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// Rows as column name -> value, the header row giving the names.
std::vector<std::map<std::string, std::string>> ReadTable(const std::string& path) {
  auto rows = ReadCsv(path);
  std::vector<std::map<std::string, std::string>> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    std::map<std::string, std::string> m;
    for (std::size_t c = 0; c < rows[0].size() && c < rows[r].size(); ++c)
      m[rows[0][c]] = rows[r][c];
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<Recipient> LoadRecipients(const std::string& root) {
  std::map<std::string, model::Account> accounts;
  for (auto& row : ReadTable(root + "/samples/accounts.csv")) {
    model::Account a;
    a.id = row["id"];
    a.name = row["name"];
    for (std::size_t pos = 0; pos <= row["domains"].size();) {
      std::size_t end = std::min(row["domains"].find(';', pos), row["domains"].size());
      a.domains.push_back(row["domains"].substr(pos, end - pos));
      pos = end + 1;
    }
    a.industry = row["industry"];
    if (!row["employees"].empty()) a.employees = std::stoll(row["employees"]);
    a.country = row["country"];
    a.timezone = row["timezone"];
    accounts[a.id] = std::move(a);
  }
  std::vector<Recipient> out;
  for (auto& row : ReadTable(root + "/samples/contacts.csv")) {
    Recipient r;
    r.contact.id = static_cast<std::int64_t>(out.size()) + 1;
    r.contact.email = row["email"];
    r.contact.first_name = row["first_name"];
    r.contact.last_name = row["last_name"];
    r.contact.title = row["title"];
    r.contact.account_id = row["account_id"];
    r.contact.department = row["department"];
    r.contact.language = row["language"];
    r.contact.country = row["country"];
    r.contact.timezone = row["timezone"];
    if (auto it = accounts.find(r.contact.account_id); it != accounts.end()) r.account = it->second;
    out.push_back(std::move(r));
  }
  return out;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Calls f(i) for i = 0..count-1; returns calls per second.
template <typename F>
double Rate(int count, F&& f) {
  auto start = Clock::now();
  for (int i = 0; i < count; ++i) f(i);
  return count / std::chrono::duration<double>(Clock::now() - start).count();
}

// Calls f() in blocks of 16 until `seconds` have passed; returns calls per second.
template <typename F>
double RateFor(double seconds, F&& f) {
  auto start = Clock::now();
  long calls = 0;
  double elapsed = 0;
  do {
    for (int i = 0; i < 16; ++i) f();
    calls += 16;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  return calls / elapsed;
}

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "bench_pipeline_driver: %s failed\n", what);
  std::exit(1);
}

struct PKey {
  explicit PKey(const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    Check(key != nullptr, "PEM_read_bio_PrivateKey");
  }
  ~PKey() { EVP_PKEY_free(key); }
  PKey(const PKey&) = delete;
  PKey& operator=(const PKey&) = delete;
  EVP_PKEY* key = nullptr;
};

// OpenSSL's bare signing rate: one context set up once, then only signatures.
double RawRsaSignRate(EVP_PKEY* key, double seconds) {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
  Check(EVP_PKEY_sign_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
            EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1,
        "RSA sign setup");
  unsigned char digest[32] = {1, 2, 3};
  unsigned char sig[512];
  double rate = RateFor(seconds, [&] {
    std::size_t size = sizeof sig;
    Check(EVP_PKEY_sign(ctx, sig, &size, digest, sizeof digest) == 1, "EVP_PKEY_sign");
    ++digest[0];
  });
  EVP_PKEY_CTX_free(ctx);
  return rate;
}

double RawEd25519SignRate(EVP_PKEY* key, double seconds) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  Check(EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key) == 1, "Ed25519 sign setup");
  unsigned char message[32] = {1, 2, 3};
  unsigned char sig[64];
  double rate = RateFor(seconds, [&] {
    std::size_t size = sizeof sig;
    Check(EVP_DigestSign(ctx, sig, &size, message, sizeof message) == 1, "EVP_DigestSign");
    ++message[0];
  });
  EVP_MD_CTX_free(ctx);
  return rate;
}

// OpenSSL's bare signing rate on `threads` threads at once, each with its own context,
// summed: what a second thread gives on this machine at this moment, the anchor for the
// pools' 2 / 1 (a shared machine does not always give two full cores).
double RawSignRateOnThreads(EVP_PKEY* key, bool rsa, unsigned threads, double seconds) {
  std::vector<double> rates(threads);
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t)
    workers.emplace_back([&, t] {
      rates[t] = rsa ? RawRsaSignRate(key, seconds) : RawEd25519SignRate(key, seconds);
    });
  for (auto& w : workers) w.join();
  double total = 0;
  for (double r : rates) total += r;
  return total;
}

// For information: the calls dkim.cc makes per signature (a copy of the key's prepared
// EVP_MD_CTX, a size query, the signature) over data the size of a canonical header
// block (RSA) or a SHA-256 digest (Ed25519).
double DkimStyleSignRate(EVP_PKEY* key, bool rsa, double seconds) {
  std::string data(700, 'h');
  unsigned char digest[32] = {1, 2, 3};
  EVP_MD_CTX* prepared = EVP_MD_CTX_new();
  Check(EVP_DigestSignInit(prepared, nullptr, rsa ? EVP_sha256() : nullptr, nullptr, key) == 1,
        "init");
  double rate = RateFor(seconds, [&] {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    Check(EVP_MD_CTX_copy_ex(ctx, prepared) == 1, "copy");
    std::size_t size = 0;
    unsigned char sig[512];
    const unsigned char* in = rsa ? reinterpret_cast<const unsigned char*>(data.data()) : digest;
    std::size_t in_size = rsa ? data.size() : sizeof digest;
    EVP_DigestSign(ctx, nullptr, &size, nullptr, 0);
    size = sizeof sig;
    Check(EVP_DigestSign(ctx, sig, &size, in, in_size) == 1, "EVP_DigestSign");
    EVP_MD_CTX_free(ctx);
    ++data[0];
    ++digest[0];
  });
  EVP_MD_CTX_free(prepared);
  return rate;
}

// The CPU time of the whole process, all threads, in seconds.
double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// The 1-minute load average: on a shared machine, how much else was running.
std::string LoadAverage() {
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  if (!f) return "unknown";
  char one[32] = {};
  bool ok = std::fscanf(f, "%31s", one) == 1;
  std::fclose(f);
  return ok ? one : "unknown";
}

double Ceiling(std::initializer_list<double> rates) {
  double seconds = 0;
  for (double r : rates) seconds += 1 / r;
  return 1 / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s SOURCE_ROOT CAMPAIGN_ID [TEMPLATE_ID|-] [MESSAGES] [RUNS]\n",
                 argv[0]);
    return 2;
  }
  const std::string root = argv[1];
  const std::string template_arg = argc > 3 ? argv[3] : "-";
  const int messages = argc > 4 ? std::atoi(argv[4]) : 3000;
  const int runs = argc > 5 ? std::atoi(argv[5]) : 5;
  constexpr double kSignSeconds = 1.0;
  constexpr std::size_t kLaunchBatch = 500;  // LaunchOptions::batch_size

  b2bmail::cli::GlobalOptions global;
  global.workspace = root;
  b2bmail::cli::Workspace ws(global);
  model::Campaign campaign = ws.LoadCampaign(argv[2]);
  // Another template keeps the campaign's sender but takes its own subject.
  if (template_arg != "-" && template_arg != campaign.template_id) {
    campaign.template_id = template_arg;
    campaign.subject.clear();
  }
  auto source = ws.LoadTemplate(campaign.template_id, campaign.subject);
  if (source.subjects.empty()) source.subjects[""] = "{{contact.first_name}}, an invitation";
  if (campaign.from_name.empty()) campaign.from_name = source.from_name;
  base::Diagnostics diags;
  auto tmpl = render::MessageTemplate::Compile(source, diags);
  if (!tmpl) {
    for (const auto& d : diags.items()) std::fprintf(stderr, "%s\n", d.Format().c_str());
    return 1;
  }
  const auto recipients = LoadRecipients(root);
  Check(!recipients.empty(), "reading samples/contacts.csv");
  // As scripts/demo configures the workspace.
  const render::Sender sender{"Lumetra Industrial Software GmbH",
                              "Speicherstraße 12, 20457 Hamburg, Germany",
                              "https://www.lumetra.example"};
  const std::string tracking_base_url = "https://t.lumetra.example";

  const std::string rsa_pem = mime::GenerateDkimPrivateKey(mime::DkimAlgorithm::kRsaSha256);
  const std::string ed_pem = mime::GenerateDkimPrivateKey(mime::DkimAlgorithm::kEd25519Sha256);
  auto signer_of = [&](bool rsa, bool ed) {
    std::vector<mime::DkimKey> keys;
    if (rsa)
      keys.push_back(mime::DkimKey::FromPem("lumetra.example", "rsa2026",
                                            mime::DkimAlgorithm::kRsaSha256, rsa_pem, "rsa"));
    if (ed)
      keys.push_back(mime::DkimKey::FromPem("lumetra.example", "ed2026",
                                            mime::DkimAlgorithm::kEd25519Sha256, ed_pem, "ed"));
    return mime::DkimSigner(std::move(keys), mime::DefaultSignedHeaders());
  };
  const mime::DkimSigner rsa_signer = signer_of(true, false);
  const mime::DkimSigner ed_signer = signer_of(false, true);
  const mime::DkimSigner both_signer = signer_of(true, true);
  const PKey rsa_key(rsa_pem), ed_key(ed_pem);

  base::SystemClock clock;
  // What `campaign launch` does per recipient (engine/campaign/launcher.cc), unsigned:
  // the token, Render, Build. Two of these: one drawing from SystemRandom as the CLI
  // does, one from a SeededRandom, which shows the path without the cost of the OS
  // random source.
  // SendComposer is exactly what the launcher runs per recipient: send key, signed
  // unsubscribe and bounce tokens, Render, the bulk-sender headers, Build.
  campaign::ComposeOptions compose;
  compose.tracking_base_url = tracking_base_url;
  compose.sender = sender;
  compose.unsubscribe_mailto = "unsubscribe@lumetra.example";
  compose.feedback_sender = "lumetra01";
  const track::TokenSigner tokens(std::string(32, 'k'));
  compose.tokens = &tokens;
  struct Path {
    base::Random& random;
    campaign::SendComposer composer;
  };
  base::SystemRandom system_random;
  base::SeededRandom seeded_random(42);
  Path system_path{system_random,
                   campaign::SendComposer(campaign, *tmpl, compose, clock, system_random)};
  Path seeded_path{seeded_random,
                   campaign::SendComposer(campaign, *tmpl, compose, clock, seeded_random)};
  auto render = [&](Path& path, int i) {
    const Recipient& r = recipients[static_cast<std::size_t>(i) % recipients.size()];
    std::string unsubscribe_url = tracking_base_url + "/u/" + base::RandomToken(path.random, 26);
    auto rendered = tmpl->Render(
        {r.contact, r.account ? &*r.account : nullptr, campaign, unsubscribe_url, &sender});
    return std::pair(std::move(unsubscribe_url), std::move(rendered));
  };
  auto build = [&](Path& path, int i) {
    const Recipient& r = recipients[static_cast<std::size_t>(i) % recipients.size()];
    return path.composer.Compose(r.contact, r.account ? &*r.account : nullptr).message.data;
  };

  // The anchor's data: the same values as a kainjow data object, built per render too
  // (bench/render_driver.cc).
  auto data_of = [&](const Recipient& r) {
    return b2bmail::bench::KainjowData(r.contact, r.account ? &*r.account : nullptr, campaign,
                                       sender);
  };

  mustache::mustache composed(tmpl->composed_html());

  // Pre-built messages for the pools, and the pools, made once: SignAll signs in place,
  // so each timed batch signs a fresh copy (copied outside the timing).
  std::vector<std::string> prebuilt;
  for (int i = 0; i < messages; ++i) prebuilt.push_back(build(seeded_path, i));
  std::vector<unsigned> pool_sizes = {1, 2};
  const unsigned hardware = std::thread::hardware_concurrency();
  if (hardware > 2) pool_sizes.push_back(hardware);
  struct PoolFigure {
    const char* name = nullptr;
    const mime::DkimSigner* signer = nullptr;
    EVP_PKEY* key = nullptr;
    bool rsa = false;
    std::vector<std::unique_ptr<mime::SigningPool>> pools;  // one per pool_sizes entry
    std::vector<std::vector<double>> rates, cores;
    std::vector<double> bare_1, bare_2;  // RawSignRateOnThreads, 1 and 2 threads
  };
  std::vector<PoolFigure> pool_figures(2);
  pool_figures[0].name = "rsa-2048";
  pool_figures[0].signer = &rsa_signer;
  pool_figures[0].key = rsa_key.key;
  pool_figures[0].rsa = true;
  pool_figures[1].name = "ed25519";
  pool_figures[1].signer = &ed_signer;
  pool_figures[1].key = ed_key.key;
  for (auto& f : pool_figures) {
    for (unsigned n : pool_sizes)
      f.pools.push_back(std::make_unique<mime::SigningPool>(*f.signer, n));
    f.rates.resize(pool_sizes.size());
    f.cores.resize(pool_sizes.size());
  }

  struct FullFigure {
    const char* name;
    const mime::DkimSigner* signer;
    std::vector<double> rates, ceilings, ratios, seeded_rates, seeded_ratios;
    std::vector<double> pooled_rates, pooled_seeded_rates;  // signing on a pool of 2
  };
  std::vector<FullFigure> full = {{"rsa-2048", &rsa_signer, {}, {}, {}, {}, {}, {}, {}},
                                  {"ed25519", &ed_signer, {}, {}, {}, {}, {}, {}, {}},
                                  {"rsa-2048 + ed25519", &both_signer, {}, {}, {}, {}, {}, {}, {}}};
  std::vector<std::unique_ptr<mime::SigningPool>> pools_of_2;
  for (const auto& f : full)
    pools_of_2.push_back(std::make_unique<mime::SigningPool>(*f.signer, 2));
  std::size_t sink = 0;
  std::vector<double> kainjow, raw_rsa, raw_ed, dkim_rsa, dkim_ed, random_next, render_only,
      unsigned_path;
  const std::string load_before = LoadAverage();

  for (int run = 0; run < runs; ++run) {
    kainjow.push_back(Rate(messages, [&](int i) {
      auto data = data_of(recipients[static_cast<std::size_t>(i) % recipients.size()]);
      sink += composed.render(data).size();
    }));
    raw_rsa.push_back(RawRsaSignRate(rsa_key.key, kSignSeconds));
    raw_ed.push_back(RawEd25519SignRate(ed_key.key, kSignSeconds));
    const double ceilings[] = {Ceiling({raw_rsa.back(), kainjow.back()}),
                               Ceiling({raw_ed.back(), kainjow.back()}),
                               Ceiling({raw_rsa.back(), raw_ed.back(), kainjow.back()})};
    for (std::size_t k = 0; k < full.size(); ++k) {
      auto& f = full[k];
      f.rates.push_back(Rate(messages, [&](int i) {
        sink += f.signer->Sign(build(system_path, i), clock.Now()).size();
      }));
      f.ceilings.push_back(ceilings[k]);
      f.ratios.push_back(f.rates.back() / ceilings[k]);
      f.seeded_rates.push_back(Rate(messages, [&](int i) {
        sink += f.signer->Sign(build(seeded_path, i), clock.Now()).size();
      }));
      f.seeded_ratios.push_back(f.seeded_rates.back() / ceilings[k]);
    }
    random_next.push_back(Rate(messages, [&](int) { sink += system_random.Next() & 1; }));
    render_only.push_back(
        Rate(messages, [&](int i) { sink += render(seeded_path, i).second.html.size(); }));
    unsigned_path.push_back(Rate(messages, [&](int i) { sink += build(seeded_path, i).size(); }));
    dkim_rsa.push_back(DkimStyleSignRate(rsa_key.key, true, kSignSeconds / 2));
    dkim_ed.push_back(DkimStyleSignRate(ed_key.key, false, kSignSeconds / 2));

    for (auto& f : pool_figures) {
      // The anchor on either side of the pools, so that both see the same machine.
      f.bare_1.push_back(RawSignRateOnThreads(f.key, f.rsa, 1, kSignSeconds / 4));
      for (std::size_t p = 0; p < f.pools.size(); ++p) {
        std::vector<std::string> batch = prebuilt;
        auto start = Clock::now();
        double cpu_start = ProcessCpuSeconds();
        f.pools[p]->SignAll(batch, clock.Now());
        double wall = std::chrono::duration<double>(Clock::now() - start).count();
        f.rates[p].push_back(messages / wall);
        f.cores[p].push_back((ProcessCpuSeconds() - cpu_start) / wall);
        sink += batch.back().size();
      }
      f.bare_2.push_back(RawSignRateOnThreads(f.key, f.rsa, 2, kSignSeconds / 4));
    }
    // The whole path with signing on a pool, in batches of the launcher's size.
    for (std::size_t k = 0; k < full.size(); ++k) {
      for (Path* path : {&system_path, &seeded_path}) {
        auto start = Clock::now();
        std::vector<std::string> batch;
        for (int i = 0; i < messages; ++i) {
          batch.push_back(build(*path, i));
          if (batch.size() == kLaunchBatch || i + 1 == messages) {
            pools_of_2[k]->SignAll(batch, clock.Now());
            sink += batch.back().size();
            batch.clear();
          }
        }
        double rate = messages / std::chrono::duration<double>(Clock::now() - start).count();
        (path == &system_path ? full[k].pooled_rates : full[k].pooled_seeded_rates).push_back(rate);
      }
    }
  }

  const std::string sample = build(seeded_path, 0);
  const std::size_t signed_size = both_signer.Sign(sample, clock.Now()).size();
  std::printf(
      "campaign %s, template %s: a message has %zu bytes before DKIM, %zu with both "
      "signatures; %zu recipients from samples/, cycled\n",
      campaign.id.c_str(), campaign.template_id.c_str(), sample.size(), signed_size,
      recipients.size());
  std::printf(
      "%d messages per run and figure, %d runs, median (messages/s); %u hardware threads; "
      "load average before %s, after %s\n",
      messages, runs, hardware, load_before.c_str(), LoadAverage().c_str());
  const double k = Median(kainjow), rr = Median(raw_rsa), re = Median(raw_ed);
  std::printf("ceiling parts                                          msg/s   us/msg\n");
  std::printf("  kainjow render(), composed template              %9.0f  %7.1f\n", k, 1e6 / k);
  std::printf("  OpenSSL sign rsa-2048 (EVP_PKEY_sign, 32 B)      %9.0f  %7.1f\n", rr, 1e6 / rr);
  std::printf("  OpenSSL sign ed25519 (EVP_DigestSign, 32 B)      %9.0f  %7.1f\n", re, 1e6 / re);
  std::printf("one core, render -> MessageBuilder -> DkimSigner      msg/s  ceiling   ratio\n");
  bool goal_met = true;
  for (const auto& f : full) {
    const double ratio = Median(f.ratios);
    goal_met = goal_met && ratio >= 0.85;
    std::printf("  %-48s %7.0f  %7.0f   %4.2fx\n", f.name, Median(f.rates), Median(f.ceilings),
                ratio);
  }
  std::printf("  the same with a SeededRandom (no OS random draws), for information\n");
  for (const auto& f : full)
    std::printf("  %-48s %7.0f  %7.0f   %4.2fx\n", f.name, Median(f.seeded_rates),
                Median(f.ceilings), Median(f.seeded_ratios));
  std::printf("  (ratio: the median over runs of measured / the same run's ceiling)\n");
  const double ro = Median(render_only), up = Median(unsigned_path),
               sr = Median(full[0].seeded_rates), se = Median(full[1].seeded_rates),
               dr = Median(dkim_rsa), de = Median(dkim_ed), rn = Median(random_next);
  std::printf("where one message's time goes (us, differences of medians)\n");
  // RandomToken takes 12 characters from each Next: 3 draws for the unsubscribe token
  // (26 characters), 2 each for the Message-ID and the boundary (24).
  std::printf("  SystemRandom::Next, 7 per message               %7.1f  (%.1f per call)\n",
              7e6 / rn, 1e6 / rn);
  std::printf("  MessageTemplate::Render                         %7.1f  (kainjow alone %.1f)\n",
              1e6 / ro, 1e6 / k);
  std::printf("  tokens, bulk headers, MessageBuilder::Build      %7.1f\n", 1e6 / up - 1e6 / ro);
  std::printf(
      "  DkimSigner::Sign rsa-2048                       %7.1f  (bare sign %.1f, "
      "dkim.cc's EVP calls %.1f)\n",
      1e6 / sr - 1e6 / up, 1e6 / rr, 1e6 / dr);
  std::printf(
      "  DkimSigner::Sign ed25519                        %7.1f  (bare sign %.1f, "
      "dkim.cc's EVP calls %.1f)\n",
      1e6 / se - 1e6 / up, 1e6 / re, 1e6 / de);
  std::printf("SigningPool::SignAll, %d pre-built messages", messages);
  for (unsigned n : pool_sizes) std::printf("  %2u thread%s", n, n == 1 ? " " : "s");
  std::printf("   2 / 1\n");
  bool scale_met = true;
  for (const auto& f : pool_figures) {
    std::printf("  %-39s", f.name);
    for (const auto& r : f.rates) std::printf(" %11.0f", Median(r));
    const double scale = Median(f.rates[1]) / Median(f.rates[0]);
    scale_met = scale_met && scale >= 1.8;
    std::printf("   %4.2fx\n", scale);
    std::printf("  %-39s", "  cores busy (process CPU time / wall)");
    for (const auto& c : f.cores) std::printf(" %11.2f", Median(c));
    std::printf("\n");
    const double bare_scale = Median(f.bare_2) / Median(f.bare_1);
    std::printf("  %-39s %11.0f %11.0f   %4.2fx\n", "  OpenSSL's bare sign, 1 and 2 threads",
                Median(f.bare_1), Median(f.bare_2), bare_scale);
    std::printf("  %-39s %30.2f\n", "  pool's 2 / 1 over OpenSSL's own 2 / 1", scale / bare_scale);
  }
  std::printf("whole path, signing on a pool of 2 in batches of %zu, for information\n",
              kLaunchBatch);
  for (const auto& f : full)
    std::printf("  %-48s %7.0f   %4.2fx one core\n", f.name, Median(f.pooled_rates),
                Median(f.pooled_rates) / Median(f.rates));
  std::printf("  the same with a SeededRandom\n");
  for (const auto& f : full)
    std::printf("  %-48s %7.0f   %4.2fx one core\n", f.name, Median(f.pooled_seeded_rates),
                Median(f.pooled_seeded_rates) / Median(f.seeded_rates));
  double two_cores = 0;
  for (const auto& f : pool_figures) two_cores = std::max(two_cores, Median(f.cores[1]));
  if (two_cores < 1.5)
    std::printf(
        "note: the pools of 2 kept at most %.2f cores busy: the machine did not give this "
        "process a second core, so 2 / 1 measures the machine, not the pool\n",
        two_cores);
  std::printf("goal: one core >= 0.85x the ceiling: %s\n", goal_met ? "met" : "NOT met");
  std::printf("goal: a pool of 2 >= 1.8x a pool of 1: %s\n", scale_met ? "met" : "NOT met");
  return sink == 0 ? 1 : 0;
}
