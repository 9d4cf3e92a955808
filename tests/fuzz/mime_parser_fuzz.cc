// libFuzzer harness for the tolerant MIME parser (include/b2bmail/mime/mime_parser.h) and
// the decoders under it. Not part of the CMake build (CI builds with gcc); build and run it
// by hand with clang from the repository root:
//
//   clang++-14 -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
//     -Iinclude tests/fuzz/mime_parser_fuzz.cc engine/mime/mime_parser*.cc \
//     engine/mime/{header_fields,content_type,transfer_decoding}.cc \
//     engine/mime/{encoded_word_decoder,charset_conversion}.cc engine/base/strings.cc \
//     -o /tmp/mime_parser_fuzz
//   mkdir -p /tmp/mime_fuzz_corpus
//   /tmp/mime_parser_fuzz -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
//     -dict=tests/fuzz/mime_parser.dict -max_total_time=600 \
//     /tmp/mime_fuzz_corpus ../shared/corpus/bounces/maildir/bsd tests/mime/data/parser
//
// The first directory collects new inputs; the others seed it (-max_len=4096 explores
// small inputs about six times faster). The harness checks the contract as well as the
// absence of crashes: limits hold and all text is UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "b2bmail/base/strings.h"
#include "b2bmail/mime/content_type.h"
#include "b2bmail/mime/encoded_word_decoder.h"
#include "b2bmail/mime/mime_parser.h"

using namespace b2bmail;
using namespace b2bmail::mime;

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // The first byte picks small limits now and then so that they are exercised too.
  ParseOptions options;
  if (size > 0 && data[0] % 4 == 0) {
    options.max_depth = data[0] % 7;
    options.max_parts = data[0] % 11;
    options.max_header_fields = data[0] % 13;
  }
  ParsedMessage m = ParseMessage(input, options);
  auto parts = m.root().Walk();
  Check(parts.size() == m.part_count());
  Check(m.part_count() <= (options.max_parts == 0 ? 1 : options.max_parts));
  std::size_t fields = 0;
  for (const MimePart* p : parts) {
    Check(p->depth() <= options.max_depth);
    Check(base::IsValidUtf8(p->text()));
    fields += p->headers().size();
    for (const auto& h : p->headers()) Check(base::IsValidUtf8(h.value));
    for (const auto& block : ParseHeaderBlocks(p->decoded_body(), options))
      for (const auto& f : block) Check(base::IsValidUtf8(f.value));
    Check(base::IsValidUtf8(p->FileName()));
  }
  Check(fields <= options.max_header_fields);
  Check(base::IsValidUtf8(m.BestText()));
  Check(base::IsValidUtf8(DecodeEncodedWords(input)));
  ParseContentType(input);
  ParseContentDisposition(input);
  return 0;
}
