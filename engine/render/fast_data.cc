#include "fast_data.h"

#include <algorithm>

namespace b2bmail::render {

namespace {

constexpr std::size_t kInitialSlots = 64;

// A child's slot depends on its parent too, so one table serves every object.
std::uint64_t SlotHash(FastData::Id parent, std::uint64_t key_hash) {
  std::uint64_t h = (key_hash ^ parent) * 0x9e3779b97f4a7c15ULL;
  return h ^ (h >> 31);
}

}  // namespace

std::uint64_t FastData::KeyHash(std::string_view key) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (unsigned char c : key) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

FastData::FastData() { Clear(); }

void FastData::Clear() {
  nodes_.clear();
  nodes_.push_back({"", "", kNone, Kind::kObject});
  slots_.assign(std::max(slots_.size(), kInitialSlots), Slot{0, kNone});
  used_ = 0;
}

std::size_t FastData::FindSlot(Id parent, std::string_view key, std::uint64_t slot_hash) const {
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = slot_hash & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.node == kNone) return i;
    if (s.hash == slot_hash && nodes_[s.node].parent == parent && nodes_[s.node].key == key)
      return i;
  }
}

bool FastData::IsObject(Id id) const {
  return id < nodes_.size() && nodes_[id].kind == Kind::kObject;
}

FastData::Id FastData::Child(Id parent, std::string_view key, std::uint64_t hash) const {
  if (!IsObject(parent)) return kNone;
  return slots_[FindSlot(parent, key, SlotHash(parent, hash))].node;
}

void FastData::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{0, kNone});
  std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.node == kNone) continue;
    std::size_t i = s.hash & mask;
    while (slots_[i].node != kNone) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

FastData::Id FastData::Put(Id parent, std::string_view key, Kind kind) {
  if (!IsObject(parent)) return kNone;  // as kainjow's set() on a non-object: ignored
  if ((used_ + 1) * 2 > slots_.size()) Grow();
  std::uint64_t h = SlotHash(parent, KeyHash(key));
  Slot& slot = slots_[FindSlot(parent, key, h)];
  if (slot.node == kNone) ++used_;
  slot = {h, static_cast<Id>(nodes_.size())};
  nodes_.push_back({std::string(key), "", parent, kind});
  return slot.node;
}

FastData::Id FastData::Object(Id parent, std::string_view key) {
  Id existing = Child(parent, key);
  if (existing != kNone && nodes_[existing].kind == Kind::kObject) return existing;
  return Put(parent, key, Kind::kObject);
}

void FastData::Set(Id parent, std::string_view key, std::string value) {
  Id id = Put(parent, key, Kind::kString);
  if (id != kNone) nodes_[id].value = std::move(value);
}

void FastData::SetBool(Id parent, std::string_view key, bool value) {
  Put(parent, key, value ? Kind::kTrue : Kind::kFalse);
}

void FastData::SetPath(std::string_view dotted, std::string value) {
  Id parent = kRoot;
  std::size_t dot;
  while (parent != kNone && (dot = dotted.find('.')) != std::string_view::npos) {
    parent = Object(parent, dotted.substr(0, dot));
    dotted.remove_prefix(dot + 1);
  }
  if (parent != kNone) Set(parent, dotted, std::move(value));
}

}  // namespace b2bmail::render
