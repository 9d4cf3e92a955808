#pragma once
// The values one recipient's message sees, for FastTemplate: a tree of objects whose
// leaves are strings or booleans, like the kainjow `mustache::data` BuildData makes,
// but flat in memory and looked up through one hash table keyed by (parent, key), so
// a compiled template resolves `contact.first_name` with a probe per segment and
// no string hashing per render (the segment hashes are computed at compile time).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace b2bmail::render {

class FastData {
 public:
  using Id = std::uint32_t;
  static constexpr Id kRoot = 0;
  static constexpr Id kNone = 0xffffffff;
  enum class Kind : std::uint8_t { kObject, kString, kTrue, kFalse };

  FastData();

  // Back to an empty root object, keeping the node list's and the table's memory, so one
  // FastData can serve recipient after recipient.
  void Clear();

  // The object at `key` of object `parent`: the existing one, or a new empty one
  // (replacing a string or boolean there). kNone when `parent` is not an object;
  // setting anything under kNone does nothing, so a builder needs no checks.
  Id Object(Id parent, std::string_view key);
  // Sets `key` of object `parent`, replacing whatever was there (as kainjow's set()).
  void Set(Id parent, std::string_view key, std::string value);
  void SetBool(Id parent, std::string_view key, bool value);
  // Sets the value at a dotted path from the root ("contact.attr.plan"), creating
  // the objects on the way.
  void SetPath(std::string_view dotted, std::string value);

  // The child `key` of `parent` (kNone when absent or `parent` is not an object);
  // `hash` must be KeyHash(key), which templates compute once.
  Id Child(Id parent, std::string_view key, std::uint64_t hash) const;
  Id Child(Id parent, std::string_view key) const { return Child(parent, key, KeyHash(key)); }
  Kind kind(Id id) const { return nodes_[id].kind; }
  const std::string& value(Id id) const { return nodes_[id].value; }

  static std::uint64_t KeyHash(std::string_view key);

 private:
  struct Node {
    std::string key;
    std::string value;
    Id parent;
    Kind kind;
  };
  struct Slot {
    std::uint64_t hash;
    Id node;  // kNone: empty
  };

  // A fresh node at `key` of `parent`, replacing the previous child there. A new id
  // (rather than reusing the old node) makes the old node's children unreachable.
  Id Put(Id parent, std::string_view key, Kind kind);
  bool IsObject(Id id) const;  // false for kNone
  std::size_t FindSlot(Id parent, std::string_view key, std::uint64_t slot_hash) const;
  void Grow();

  std::vector<Node> nodes_;
  std::vector<Slot> slots_;  // open addressing, power-of-two size, at most half full
  std::size_t used_ = 0;
};

}  // namespace b2bmail::render
