// Driver for bench/import: imports files through ingest::ImportFile and prints, per
// file, one line `<kind> rows=<n> inserted=<n> updated=<n> rejected=<n> seconds=<s>`.
//
//   bench_import_driver --create DB                     creates an empty, migrated store
//   bench_import_driver DB accounts FILE [contacts FILE] [events FILE]

#include <chrono>
#include <cstdio>
#include <exception>
#include <string>

#include "b2bmail/ingest/importer.h"
#include "b2bmail/store/open_sqlite.h"

using namespace b2bmail;

int main(int argc, char** argv) {
  try {
    if (argc == 3 && std::string(argv[1]) == "--create") {
      store::OpenSqlite(argv[2]);
      return 0;
    }
    if (argc < 4 || argc % 2 != 0) {
      std::fprintf(stderr, "usage: %s DB KIND FILE [KIND FILE]... | --create DB\n", argv[0]);
      return 2;
    }
    auto db = store::OpenSqlite(argv[1]);
    for (int i = 2; i + 1 < argc; i += 2) {
      std::string kind_name = argv[i];
      ingest::ImportKind kind = kind_name == "accounts"   ? ingest::ImportKind::kAccounts
                                : kind_name == "contacts" ? ingest::ImportKind::kContacts
                                                          : ingest::ImportKind::kEvents;
      auto start = std::chrono::steady_clock::now();
      auto report = ingest::ImportFile(*db, kind, argv[i + 1], {});
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
      for (const auto& d : report.diagnostics.items())
        std::fprintf(stderr, "%s\n", d.Format().c_str());
      std::printf("%s rows=%lld inserted=%lld updated=%lld rejected=%lld seconds=%.3f\n",
                  kind_name.c_str(), static_cast<long long>(report.rows),
                  static_cast<long long>(report.inserted), static_cast<long long>(report.updated),
                  static_cast<long long>(report.rejected), took.count());
      if (report.diagnostics.HasErrors()) return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_import_driver: %s\n", e.what());
    return 1;
  }
}
