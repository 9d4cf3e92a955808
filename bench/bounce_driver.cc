// bench/bounce driver: reads bounce files into memory, then parses them all with
// bounce::ParseBounce `rounds` times and prints the rate. Reading the files is not
// timed, as bench/sisimai_parse.pl does not time it either.
//
// usage: bench_bounce_driver ROUNDS FILE...
// prints: RESULT msgs=<n> seconds=<s> rate=<msg/s> recipients=<per round>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "b2bmail/bounce/bounce_report.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: bench_bounce_driver ROUNDS FILE...\n";
    return 2;
  }
  int rounds = std::atoi(argv[1]);
  std::vector<std::string> messages;
  for (int i = 2; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    messages.push_back(text.str());
  }
  std::size_t recipients = 0;
  auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r) {
    std::size_t found = 0;
    for (const auto& m : messages) found += b2bmail::bounce::ParseBounce(m).recipients.size();
    recipients = found;
  }
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double total = static_cast<double>(messages.size()) * rounds;
  std::printf("RESULT msgs=%.0f seconds=%.3f rate=%.0f recipients=%zu\n", total, seconds,
              total / seconds, recipients);
  return 0;
}
