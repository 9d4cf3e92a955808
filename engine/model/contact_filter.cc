#include "b2bmail/model/contact_filter.h"

#include <algorithm>

namespace b2bmail::model {

std::optional<int> EnumRank(FieldType type, std::string_view value) {
  auto names = EnumValuesOf(type);
  auto it = std::find(names.begin(), names.end(), value);
  if (it == names.end()) return std::nullopt;
  int index = static_cast<int>(it - names.begin());
  // Seniority is declared highest first (c_level); its rank counts upwards from entry.
  if (type == FieldType::kSeniority) return static_cast<int>(names.size()) - 1 - index;
  return index;
}

std::uint64_t SampleKey(std::uint64_t seed, std::string_view email) {
  std::uint64_t h = 14695981039346656037ULL;  // FNV-1a 64 offset basis
  auto mix = [&h](unsigned char byte) {
    h ^= byte;
    h *= 1099511628211ULL;  // FNV prime
  };
  for (int i = 0; i < 8; ++i) mix(static_cast<unsigned char>(seed >> (8 * i)));
  for (char c : email) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    mix(static_cast<unsigned char>(c));
  }
  // splitmix64 finaliser: FNV's low bits are weak, and the key is compared whole.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

}  // namespace b2bmail::model
